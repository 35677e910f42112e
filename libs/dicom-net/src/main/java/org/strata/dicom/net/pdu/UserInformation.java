package org.strata.dicom.net.pdu;

import java.util.List;

/**
 * User information item (0x50, PS3.8 Annex D and PS3.7 Annex D.3.3). Unknown sub-items and the
 * extended negotiation sub-items (0x56, 0x57) are skipped when read.
 *
 * @param maxLength maximum length of the P-DATA-TF PDUs the sender receives (0 = unlimited)
 * @param implementationClassUid required
 * @param implementationVersionName optional, null when absent
 * @param asyncOpsInvoked null when the asynchronous operations window sub-item is absent
 * @param asyncOpsPerformed null when absent
 * @param roleSelections SCP/SCU role selection sub-items
 * @param userIdentityRQ null when absent (and always in an acceptance)
 * @param userIdentityAC null when absent (and always in a request)
 */
public record UserInformation(
    long maxLength,
    String implementationClassUid,
    String implementationVersionName,
    Integer asyncOpsInvoked,
    Integer asyncOpsPerformed,
    List<RoleSelection> roleSelections,
    UserIdentityRQ userIdentityRQ,
    UserIdentityAC userIdentityAC) {

  public UserInformation {
    roleSelections = List.copyOf(roleSelections);
  }

  public UserInformation(long maxLength, String implementationClassUid, String versionName) {
    this(maxLength, implementationClassUid, versionName, null, null, List.of(), null, null);
  }

  public boolean hasAsyncOpsWindow() {
    return asyncOpsInvoked != null;
  }

  public RoleSelection roleSelection(String sopClassUid) {
    for (RoleSelection r : roleSelections) {
      if (r.sopClassUid().equals(sopClassUid)) {
        return r;
      }
    }
    return null;
  }
}
