package org.strata.dicom.net;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.strata.dicom.net.pdu.Pdv;

/**
 * Fragments one part of a DIMSE message (its command or its data set) into P-DATA-TF PDUs with one
 * PDV each (PS3.8 9.3.5, Annex E). Bytes are gathered into a buffer of the PDV payload size (the
 * send PDU length minus 6); a full buffer is sent as a fragment, {@link #close()} sends the rest
 * with the last-fragment bit set. Not thread-safe: the caller holds the association's write lock.
 */
final class PDataOutputStream extends OutputStream {

  /** Where the fragments go: the association checks its state and writes one P-DATA-TF. */
  @FunctionalInterface
  interface FragmentSink {
    void send(int presentationContextId, int controlHeader, byte[] buf, int off, int len)
        throws IOException;
  }

  private final FragmentSink sink;
  private final int pcid;
  private final int header;
  private final byte[] buf;
  private int count;
  private boolean closed;

  /**
   * @param header {@link Pdv#COMMAND} for a command, 0 for a data set; {@link Pdv#LAST} is added
   * @param buffer the fragment buffer, its length the PDV payload size (reused between messages)
   */
  PDataOutputStream(FragmentSink sink, int pcid, int header, byte[] buffer) {
    if (buffer.length == 0) {
      throw new IllegalArgumentException("fragment buffer must not be empty");
    }
    this.sink = sink;
    this.pcid = pcid;
    this.header = header;
    this.buf = buffer;
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (count == buf.length) {
      flushFragment(false);
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    while (len > 0) {
      if (count == buf.length) {
        flushFragment(false);
      }
      int n = Math.min(len, buf.length - count);
      System.arraycopy(b, off, buf, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  /** Sends the rest as the last fragment (an empty one if nothing is left); once. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      flushFragment(true);
    }
  }

  private void flushFragment(boolean last) throws IOException {
    // the fragment is taken as sent even if the sink fails: the association is aborted then
    int n = count;
    count = 0;
    sink.send(pcid, header | (last ? Pdv.LAST : 0), buf, 0, n);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("message part already closed");
    }
  }
}
