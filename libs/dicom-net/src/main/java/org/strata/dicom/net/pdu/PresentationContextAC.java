package org.strata.dicom.net.pdu;

/**
 * Presentation context item of an A-ASSOCIATE-AC (item type 0x21, PS3.8 9.3.3.2).
 *
 * @param id the id of the proposed context
 * @param result 0 acceptance, 1 user-rejection, 2 no-reason (provider rejection), 3
 *     abstract-syntax-not-supported, 4 transfer-syntaxes-not-supported
 * @param transferSyntax the accepted transfer syntax; not significant when rejected
 */
public record PresentationContextAC(int id, int result, String transferSyntax) {
  public static final int ACCEPTANCE = 0;
  public static final int USER_REJECTION = 1;
  public static final int NO_REASON = 2;
  public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
  public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

  public boolean accepted() {
    return result == ACCEPTANCE;
  }

  public static String resultText(int result) {
    return switch (result) {
      case ACCEPTANCE -> "acceptance";
      case USER_REJECTION -> "user-rejection";
      case NO_REASON -> "no-reason";
      case ABSTRACT_SYNTAX_NOT_SUPPORTED -> "abstract-syntax-not-supported";
      case TRANSFER_SYNTAXES_NOT_SUPPORTED -> "transfer-syntaxes-not-supported";
      default -> "result " + result;
    };
  }
}
