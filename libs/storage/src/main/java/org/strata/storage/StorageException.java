package org.strata.storage;

import io.minio.errors.ErrorResponseException;

/** Object storage did not do what was asked (unreachable, refused, failed mid-transfer). */
public class StorageException extends Exception {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True if S3 answered that there is no such object. */
  public boolean isMissing() {
    return getCause() instanceof ErrorResponseException r
        && isMissingCode(r.errorResponse().code());
  }

  /**
   * What went wrong, for logs: the S3 error code or the failure's class, never the message (it can
   * carry the object key, i.e. UIDs).
   */
  public static String describe(Exception e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ErrorResponseException r) {
      return "S3 " + r.errorResponse().code();
    }
    return cause.getClass().getSimpleName();
  }

  static boolean isMissingCode(String code) {
    return "NoSuchKey".equals(code) || "NoSuchObject".equals(code);
  }
}
