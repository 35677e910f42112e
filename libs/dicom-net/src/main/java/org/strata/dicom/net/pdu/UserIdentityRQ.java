package org.strata.dicom.net.pdu;

import java.nio.charset.StandardCharsets;

/**
 * User identity negotiation sub-item of a request (0x58, PS3.7 D.3.3.7).
 *
 * @param type 1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT
 * @param positiveResponseRequested whether the requestor asks for a server response (0x59)
 * @param primaryField username, ticket, assertion or token
 * @param secondaryField passcode for type 2, empty otherwise
 */
public record UserIdentityRQ(
    int type, boolean positiveResponseRequested, byte[] primaryField, byte[] secondaryField) {
  public static final int USERNAME = 1;
  public static final int USERNAME_PASSCODE = 2;
  public static final int KERBEROS = 3;
  public static final int SAML = 4;
  public static final int JWT = 5;

  public UserIdentityRQ {
    primaryField = primaryField.clone();
    secondaryField = secondaryField == null ? new byte[0] : secondaryField.clone();
  }

  public static UserIdentityRQ username(String username, boolean positiveResponse) {
    return new UserIdentityRQ(
        USERNAME, positiveResponse, username.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  public static UserIdentityRQ usernamePasscode(
      String username, String passcode, boolean positiveResponse) {
    return new UserIdentityRQ(
        USERNAME_PASSCODE,
        positiveResponse,
        username.getBytes(StandardCharsets.UTF_8),
        passcode.getBytes(StandardCharsets.UTF_8));
  }

  public static UserIdentityRQ jwt(String token, boolean positiveResponse) {
    return new UserIdentityRQ(
        JWT, positiveResponse, token.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  @Override
  public byte[] primaryField() {
    return primaryField.clone();
  }

  @Override
  public byte[] secondaryField() {
    return secondaryField.clone();
  }

  /** The primary field as UTF-8 text (username or token). */
  public String primaryText() {
    return new String(primaryField, StandardCharsets.UTF_8);
  }

  /** The secondary field as UTF-8 text (passcode). */
  public String secondaryText() {
    return new String(secondaryField, StandardCharsets.UTF_8);
  }

  /** Never prints the fields: they are credentials. */
  @Override
  public String toString() {
    return "UserIdentityRQ[type="
        + type
        + ", positiveResponseRequested="
        + positiveResponseRequested
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserIdentityRQ u
        && u.type == type
        && u.positiveResponseRequested == positiveResponseRequested
        && java.util.Arrays.equals(u.primaryField, primaryField)
        && java.util.Arrays.equals(u.secondaryField, secondaryField);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        type,
        positiveResponseRequested,
        java.util.Arrays.hashCode(primaryField),
        java.util.Arrays.hashCode(secondaryField));
  }
}
