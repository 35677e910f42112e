package org.strata.dicom.net;

/** States of the DICOM upper layer state machine (PS3.8 9.2, Table 9-10). */
public enum State {
  /** Idle: no association, no transport connection. */
  Sta1,
  /** Transport connection open, awaiting A-ASSOCIATE-RQ PDU (ARTIM running). */
  Sta2,
  /** Awaiting local A-ASSOCIATE response primitive (acceptor policy and negotiation). */
  Sta3,
  /** Awaiting transport connection opening to complete. */
  Sta4,
  /** Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU. */
  Sta5,
  /** Association established and ready for data transfer. */
  Sta6,
  /** Awaiting A-RELEASE-RP PDU. */
  Sta7,
  /** Awaiting local A-RELEASE response primitive. */
  Sta8,
  /** Release collision requestor side; awaiting A-RELEASE response primitive. */
  Sta9,
  /** Release collision acceptor side; awaiting A-RELEASE-RP PDU. */
  Sta10,
  /** Release collision requestor side; awaiting A-RELEASE-RP PDU. */
  Sta11,
  /** Release collision acceptor side; awaiting A-RELEASE response primitive. */
  Sta12,
  /** Awaiting transport connection close indication (association no longer exists). */
  Sta13
}
