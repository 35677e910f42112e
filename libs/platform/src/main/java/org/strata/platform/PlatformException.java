package org.strata.platform;

/** A component could not be started, checked or stopped; the message says which and why. */
public class PlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
