package org.strata.dicom.net.pdu;

/**
 * A-ASSOCIATE-RJ PDU (PS3.8 9.3.4).
 *
 * @param result 1 rejected-permanent, 2 rejected-transient
 * @param source 1 service-user, 2 service-provider (ACSE related), 3 service-provider (presentation
 *     related)
 * @param reason depends on the source, see the constants
 */
public record AAssociateRJ(int result, int source, int reason) implements Pdu {
  public static final int RESULT_PERMANENT = 1;
  public static final int RESULT_TRANSIENT = 2;

  public static final int SOURCE_SERVICE_USER = 1;
  public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
  public static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;

  /** Source 1. */
  public static final int REASON_NO_REASON_GIVEN = 1;

  /** Source 1. */
  public static final int REASON_APPLICATION_CONTEXT_NOT_SUPPORTED = 2;

  /** Source 1. */
  public static final int REASON_CALLING_AE_NOT_RECOGNIZED = 3;

  /** Source 1. */
  public static final int REASON_CALLED_AE_NOT_RECOGNIZED = 7;

  /** Source 2 (1 is no-reason-given there too). */
  public static final int REASON_PROTOCOL_VERSION_NOT_SUPPORTED = 2;

  /** Source 3. */
  public static final int REASON_TEMPORARY_CONGESTION = 1;

  /** Source 3. */
  public static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

  @Override
  public int type() {
    return TYPE_ASSOCIATE_RJ;
  }

  @Override
  public String toString() {
    return "A-ASSOCIATE-RJ[result="
        + result
        + (result == RESULT_PERMANENT
            ? " (permanent)"
            : result == RESULT_TRANSIENT ? " (transient)" : "")
        + ", source="
        + source
        + ", reason="
        + reason
        + " "
        + reasonText(source, reason)
        + "]";
  }

  static String reasonText(int source, int reason) {
    return switch (source) {
      case SOURCE_SERVICE_USER ->
          switch (reason) {
            case 1 -> "(no-reason-given)";
            case 2 -> "(application-context-name-not-supported)";
            case 3 -> "(calling-AE-title-not-recognized)";
            case 7 -> "(called-AE-title-not-recognized)";
            default -> "(reserved)";
          };
      case SOURCE_SERVICE_PROVIDER_ACSE ->
          switch (reason) {
            case 1 -> "(no-reason-given)";
            case 2 -> "(protocol-version-not-supported)";
            default -> "(reserved)";
          };
      case SOURCE_SERVICE_PROVIDER_PRESENTATION ->
          switch (reason) {
            case 1 -> "(temporary-congestion)";
            case 2 -> "(local-limit-exceeded)";
            default -> "(reserved)";
          };
      default -> "(unknown source)";
    };
  }
}
