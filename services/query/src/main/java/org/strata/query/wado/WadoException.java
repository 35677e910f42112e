package org.strata.query.wado;

/**
 * A WADO-RS request that cannot be answered as asked: the HTTP status and a reason that names the
 * problem without repeating request values (UIDs and values can be PHI).
 */
public class WadoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final long retryAfterSeconds;

  public WadoException(int status, String reason) {
    this(status, reason, 0);
  }

  private WadoException(int status, String reason, long retryAfterSeconds) {
    super(reason, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * 503 for objects on a nearline tier that is not serving them now: Retry-After its documented
   * delay, never a 404 (the object exists) nor a 500.
   */
  public static WadoException unavailable(org.strata.storage.TierUnavailableException e) {
    return new WadoException(
        503,
        "the instance is on a nearline storage tier that is not available now; retry after "
            + e.retryAfterSeconds()
            + " s",
        e.retryAfterSeconds());
  }

  /**
   * 503 for object storage that did not answer: with Retry-After when {@code failure} (or its
   * cause) is a nearline tier's.
   */
  public static WadoException storageFailed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.strata.storage.TierUnavailableException e) {
        return unavailable(e);
      }
    }
    return new WadoException(503, "object storage did not answer; retry later");
  }

  public static WadoException notFound(String reason) {
    return new WadoException(404, reason);
  }

  public static WadoException badRequest(String reason) {
    return new WadoException(400, reason);
  }

  public static WadoException notAcceptable(String reason) {
    return new WadoException(406, reason);
  }

  public int status() {
    return status;
  }

  /** Seconds for a Retry-After header, or 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public String reason() {
    return getMessage();
  }
}
