package org.strata.query.qido;

/**
 * A QIDO-RS request the service cannot run: answered 400 with {@link #reason()}. Reasons name the
 * parameter, never echo a value (query values can be PHI).
 */
public final class QidoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QidoException(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
