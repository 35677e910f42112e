package org.strata.query.wado;

/**
 * A WADO-RS request that cannot be answered as asked: the HTTP status and a reason that names the
 * problem without repeating request values (UIDs and values can be PHI).
 */
public class WadoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public WadoException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
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

  public String reason() {
    return getMessage();
  }
}
