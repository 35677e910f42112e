package org.strata.dicom.net;

/**
 * A failed (or warning) DIMSE operation, carrying the status for the response. Thrown by request
 * handlers; the dispatcher answers with this status and the optional error comment.
 */
public class DimseException extends Exception {
  private final int status;
  private final String errorComment;

  public DimseException(int status, String errorComment) {
    this(status, errorComment, null);
  }

  public DimseException(int status, String errorComment, Throwable cause) {
    super(
        "DIMSE status " + Status.hex(status) + (errorComment == null ? "" : ": " + errorComment),
        cause);
    this.status = status;
    this.errorComment = errorComment;
  }

  public int status() {
    return status;
  }

  /** Sent as (0000,0902), truncated to 64 characters; never put PHI here. */
  public String errorComment() {
    return errorComment;
  }
}
