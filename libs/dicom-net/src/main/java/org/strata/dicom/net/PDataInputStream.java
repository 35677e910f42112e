package org.strata.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.Pdv;

/**
 * Reassembles the data set of one DIMSE message from its data PDVs (PS3.8 Annex E), pulling the
 * next PDV from the association only when the consumer reads: a slow consumer slows the peer down
 * through TCP, and nothing is buffered beyond one PDU. A command PDV or a PDV of another
 * presentation context before the last fragment is a protocol error. After a failure every read
 * fails. Closing does not end the message: the association skips what is left ({@link #skipRest})
 * before it reads the next one. {@link #commandBytes} reassembles the command that comes first.
 */
final class PDataInputStream extends InputStream {

  /** The association's side: the next PDV of an unfinished message, and protocol errors. */
  interface PdvSource {
    /** The next PDV; a release or abort of the peer before the message ends is an error. */
    Pdv nextInMessage() throws IOException;

    /** Aborts the association (A-ABORT with the reason) and returns the exception to throw. */
    IOException protocolError(int reason, String message);
  }

  /**
   * The encoded command set of a message whose first command PDV is {@code first}: its payload if
   * it is the last fragment, else the fragments up to the last one, which must all be command PDVs
   * of the same presentation context and together no longer than {@link
   * CommandSet#MAX_ENCODED_LENGTH}.
   */
  static byte[] commandBytes(Pdv first, PdvSource source) throws IOException {
    if (first.last()) {
      return Arrays.copyOfRange(first.buffer(), first.offset(), first.offset() + first.length());
    }
    ByteArrayOutputStream acc = new ByteArrayOutputStream(512);
    acc.write(first.buffer(), first.offset(), first.length());
    Pdv pdv;
    do {
      pdv = source.nextInMessage();
      if (!pdv.command() || pdv.presentationContextId() != first.presentationContextId()) {
        throw source.protocolError(
            AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "command fragments interrupted");
      }
      if (acc.size() + pdv.length() > CommandSet.MAX_ENCODED_LENGTH) {
        throw source.protocolError(
            AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, "command set too long");
      }
      acc.write(pdv.buffer(), pdv.offset(), pdv.length());
    } while (!pdv.last());
    return acc.toByteArray();
  }

  private final PdvSource source;
  private final int pcid;
  private Pdv current;
  private int pos;
  private boolean last;
  private boolean failed;

  PDataInputStream(PdvSource source, int pcid) {
    this.source = source;
    this.pcid = pcid;
  }

  private boolean fill() throws IOException {
    while (current == null || pos == current.length()) {
      if (last) {
        return false;
      }
      if (failed) {
        throw new IOException("data set stream failed earlier");
      }
      Pdv pdv;
      try {
        pdv = source.nextInMessage();
        if (pdv.command() || pdv.presentationContextId() != pcid) {
          throw source.protocolError(
              AAbort.REASON_UNEXPECTED_PDU_PARAMETER,
              "data set fragments interrupted by another message");
        }
      } catch (IOException e) {
        failed = true;
        throw e;
      }
      current = pdv;
      pos = 0;
      last = pdv.last();
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current.buffer()[current.offset() + pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length() - pos);
    System.arraycopy(current.buffer(), current.offset() + pos, b, off, n);
    pos += n;
    return n;
  }

  /** The bytes of the current fragment not yet read (never blocks, never reads the socket). */
  @Override
  public int available() {
    return current == null ? 0 : current.length() - pos;
  }

  /** Reads and drops the rest of the data set, up to its last fragment. */
  void skipRest() throws IOException {
    while (fill()) {
      pos = current.length();
    }
  }

  @Override
  public void close() {}
}
