package org.strata.dicom.net.pdu;

import java.io.IOException;

/**
 * An association request rejected with A-ASSOCIATE-RJ: thrown by an acceptor policy to reject, and
 * by the requestor when the peer rejected.
 */
public class AAssociateRJException extends IOException {
  private final int result;
  private final int source;
  private final int reason;

  public AAssociateRJException(int result, int source, int reason, String message) {
    super(message + " " + new AAssociateRJ(result, source, reason));
    this.result = result;
    this.source = source;
    this.reason = reason;
  }

  public AAssociateRJException(AAssociateRJ rj) {
    this(rj.result(), rj.source(), rj.reason(), "association rejected by peer:");
  }

  public int result() {
    return result;
  }

  public int source() {
    return source;
  }

  public int reason() {
    return reason;
  }

  public AAssociateRJ toPdu() {
    return new AAssociateRJ(result, source, reason);
  }
}
