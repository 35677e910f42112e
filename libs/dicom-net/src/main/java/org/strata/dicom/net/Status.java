package org.strata.dicom.net;

/** DIMSE status codes (PS3.7 Annex C, and C.4.2 / Table B.2-1 of PS3.4 for C-STORE). */
public final class Status {
  public static final int SUCCESS = 0x0000;

  // Warnings of C-STORE (PS3.4 B.2.3)
  public static final int COERCION_OF_DATA_ELEMENTS = 0xB000;
  public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = 0xB007;
  public static final int ELEMENTS_DISCARDED = 0xB006;

  // Failures of C-STORE
  public static final int OUT_OF_RESOURCES = 0xA700;
  public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
  public static final int CANNOT_UNDERSTAND = 0xC000;

  // Query/retrieve (PS3.4 C.4): failures and warnings of C-FIND, C-MOVE, C-GET
  public static final int UNABLE_TO_PROCESS = 0xC000;
  public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
  public static final int UNABLE_TO_CALCULATE_NUMBER_OF_MATCHES = 0xA701;
  public static final int UNABLE_TO_PERFORM_SUB_OPERATIONS = 0xA702;
  public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
  public static final int SUB_OPERATIONS_COMPLETE_WITH_FAILURES = 0xB000;

  // General failures (PS3.7 C.5)
  public static final int PROCESSING_FAILURE = 0x0110;
  public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
  public static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;
  public static final int INVALID_OBJECT_INSTANCE = 0x0117;
  public static final int NO_SUCH_EVENT_TYPE = 0x0113;
  public static final int INVALID_ARGUMENT_VALUE = 0x0115;
  public static final int NO_SUCH_SOP_CLASS = 0x0118;
  public static final int CLASS_INSTANCE_CONFLICT = 0x0119;
  public static final int MISSING_ATTRIBUTE = 0x0120;
  public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
  public static final int NO_SUCH_ACTION_TYPE = 0x0123;
  public static final int NOT_AUTHORIZED = 0x0124;
  public static final int DUPLICATE_INVOCATION = 0x0210;
  public static final int UNRECOGNIZED_OPERATION = 0x0211;
  public static final int MISTYPED_ARGUMENT = 0x0212;
  public static final int RESOURCE_LIMITATION = 0x0213;

  public static final int CANCEL = 0xFE00;
  public static final int PENDING = 0xFF00;
  public static final int PENDING_WARNING = 0xFF01;

  private Status() {}

  public static boolean isSuccess(int status) {
    return status == SUCCESS;
  }

  /** Warning statuses: 0001, Bxxx, 0107, 0116 (PS3.7 C.2 and C.5). */
  public static boolean isWarning(int status) {
    return status == 0x0001 || (status & 0xF000) == 0xB000 || status == 0x0107 || status == 0x0116;
  }

  public static boolean isPending(int status) {
    return status == PENDING || status == PENDING_WARNING;
  }

  /** Success and warning mean the operation was done (the instance stored). */
  public static boolean isSuccessOrWarning(int status) {
    return isSuccess(status) || isWarning(status);
  }

  public static String hex(int status) {
    return String.format("%04X", status);
  }
}
