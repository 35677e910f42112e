package org.strata.dicom.net.pdu;

import java.io.IOException;

/**
 * An association ended by A-ABORT: received from the peer ({@link #received()}), or to be sent
 * because we detected a protocol error (malformed or unexpected PDU).
 */
public class AAbortException extends IOException {
  private final int source;
  private final int reason;
  private final boolean received;

  public AAbortException(int source, int reason, String message) {
    this(source, reason, false, message);
  }

  public AAbortException(int source, int reason, boolean received, String message) {
    super(message + " " + new AAbort(source, reason));
    this.source = source;
    this.reason = reason;
    this.received = received;
  }

  /** A protocol error found by us (service-provider source) with a reason code. */
  public static AAbortException provider(int reason, String message) {
    return new AAbortException(AAbort.SOURCE_SERVICE_PROVIDER, reason, message);
  }

  public int source() {
    return source;
  }

  public int reason() {
    return reason;
  }

  /** True if the peer sent the A-ABORT; false if we send (or sent) it. */
  public boolean received() {
    return received;
  }

  public AAbort toPdu() {
    return new AAbort(source, reason);
  }
}
