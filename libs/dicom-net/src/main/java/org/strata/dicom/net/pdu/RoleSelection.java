package org.strata.dicom.net.pdu;

/**
 * SCP/SCU role selection sub-item (0x54, PS3.7 D.3.3.4). In a request: the roles the requestor
 * proposes for itself; in an acceptance: the roles the acceptor agrees the requestor may take.
 */
public record RoleSelection(String sopClassUid, boolean scu, boolean scp) {}
