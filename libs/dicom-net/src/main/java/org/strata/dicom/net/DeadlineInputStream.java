package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The socket's input under a deadline rather than a per-read timeout. A socket read timeout starts
 * again with every byte, so a peer that dribbles one byte every few seconds would never time out
 * (slowloris); here every read gets only the time left until the deadline of the current phase (the
 * A-ASSOCIATE-RQ, the rest of a PDU, the transport close), and a read past it fails at once.
 */
final class DeadlineInputStream extends InputStream {
  private final Socket socket;
  private final InputStream in;
  private volatile long deadline; // System.nanoTime() value

  DeadlineInputStream(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.deadline = System.nanoTime() + Long.MAX_VALUE / 2;
  }

  /** Reads from now on must end by {@code nanoTime} ({@link System#nanoTime()} scale). */
  void deadline(long nanoTime) {
    this.deadline = nanoTime;
  }

  long deadline() {
    return deadline;
  }

  private void armTimeout() throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("read deadline passed");
    }
    long millis = Math.max(1, (left + 999_999) / 1_000_000);
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
  }

  @Override
  public int read() throws IOException {
    armTimeout();
    return in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    armTimeout();
    return in.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
