package org.strata.dicom.net.pdu;

import java.util.Arrays;

/**
 * User identity sub-item of an acceptance (0x59, PS3.7 D.3.3.7.2): the server response (empty for
 * username types, a Kerberos or SAML response otherwise).
 */
public record UserIdentityAC(byte[] serverResponse) {
  public UserIdentityAC {
    serverResponse = serverResponse == null ? new byte[0] : serverResponse.clone();
  }

  @Override
  public byte[] serverResponse() {
    return serverResponse.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserIdentityAC u && Arrays.equals(u.serverResponse, serverResponse);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serverResponse);
  }

  @Override
  public String toString() {
    return "UserIdentityAC[" + serverResponse.length + " bytes]";
  }
}
