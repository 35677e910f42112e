package org.strata.audit;

/**
 * An audit record could not be kept (the spool is full or cannot be written) and the policy is
 * {@link WhenSpoolFull#REFUSE}: the access it describes must be refused (HTTP 503, a DIMSE failure
 * status), since an access without its record is what a fail-closed archive never allows.
 */
public final class AuditUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The reason given to the caller; names no patient data. */
  public static final String REASON = "audit trail unavailable: the access cannot be recorded";

  AuditUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
