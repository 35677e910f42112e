package org.strata.dicom.net;

import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.UserIdentityRQ;

/**
 * Checks the user identity of an association request (PS3.7 D.3.3.7). Throw {@link
 * AAssociateRJException} to reject (see {@link #reject()}).
 */
@FunctionalInterface
public interface UserIdentityAuthenticator {

  /** The authenticated user, and the server response to send when the requestor asked for one. */
  record AuthenticatedUser(String name, byte[] serverResponse) {
    public AuthenticatedUser {
      serverResponse = serverResponse == null ? new byte[0] : serverResponse.clone();
    }

    @Override
    public byte[] serverResponse() {
      return serverResponse.clone();
    }
  }

  /**
   * @param identity the requestor's identity, null if it sent none
   * @return the user (null for an anonymous association that the policy allows)
   */
  AuthenticatedUser authenticate(UserIdentityRQ identity, AAssociateRQ rq)
      throws AAssociateRJException;

  /** Ignores identities: every association is anonymous and no server response is sent. */
  UserIdentityAuthenticator NONE = (identity, rq) -> null;

  /** The rejection for failed authentication: permanent, service-user, no reason given. */
  static AAssociateRJException reject() {
    return new AAssociateRJException(
        AAssociateRJ.RESULT_PERMANENT,
        AAssociateRJ.SOURCE_SERVICE_USER,
        AAssociateRJ.REASON_NO_REASON_GIVEN,
        "user identity not accepted:");
  }
}
