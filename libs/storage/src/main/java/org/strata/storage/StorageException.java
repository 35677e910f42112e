package org.strata.storage;

/** Object storage did not do what was asked (unreachable, refused, failed mid-transfer). */
public class StorageException extends Exception {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
