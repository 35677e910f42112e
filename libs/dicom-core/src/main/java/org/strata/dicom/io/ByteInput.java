package org.strata.dicom.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.ZipException;
import org.strata.dicom.DicomParseException;

/**
 * A buffered view of the source that knows its position and can look ahead, which the parser needs
 * to detect the encoding and to stop before an element without consuming it.
 *
 * <p>Never allocates more than asked: {@link #readBytes} grows its result chunk by chunk, so a
 * length field that promises more than the input holds costs at most the bytes actually present.
 */
final class ByteInput {

  private static final int BUFFER = 64 * 1024;
  private static final int CHUNK = 1 << 20;

  private final InputStream in;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int limit;
  private long base; // offset of buf[0] in the source
  private final long sourceLength; // -1 if unknown
  private boolean eof;

  ByteInput(InputStream in, long startOffset, long sourceLength) {
    this.in = in;
    this.base = startOffset;
    this.sourceLength = sourceLength;
  }

  long position() {
    return base + pos;
  }

  /** Bytes left in the source if its length is known, else Long.MAX_VALUE. */
  long remainingKnown() {
    return sourceLength < 0 ? Long.MAX_VALUE : sourceLength - position();
  }

  /** Makes {@code n} (at most the buffer size) bytes available; false if the input ends first. */
  boolean ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      base += pos;
      limit -= pos;
      pos = 0;
    }
    while (limit < n && !eof) {
      int r = read(buf, limit, buf.length - limit);
      if (r < 0) {
        eof = true;
      } else {
        limit += r;
      }
    }
    return limit - pos >= n;
  }

  private int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (ZipException | EOFException e) {
      // Inflater errors and premature ends of compressed data are bad content, not I/O failures.
      throw new DicomParseException(position(), "corrupt deflated data: " + e.getMessage(), e);
    }
  }

  boolean atEnd() throws IOException {
    return !ensure(1);
  }

  /** Byte {@code i} after the current position; call {@link #ensure} first. */
  int peek(int i) {
    return buf[pos + i] & 0xFF;
  }

  int available() {
    return limit - pos;
  }

  private void need(int n) throws IOException {
    if (!ensure(n)) {
      throw new DicomParseException(position(), "unexpected end of input, " + n + " bytes needed");
    }
  }

  int u8() throws IOException {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int u16(boolean bigEndian) throws IOException {
    need(2);
    int a = buf[pos] & 0xFF;
    int b = buf[pos + 1] & 0xFF;
    pos += 2;
    return bigEndian ? (a << 8) | b : (b << 8) | a;
  }

  long u32(boolean bigEndian) throws IOException {
    long first = u16(bigEndian);
    long second = u16(bigEndian);
    return bigEndian ? (first << 16) | second : (second << 16) | first;
  }

  /** Reads {@code length} bytes, failing without over-allocating if the input is shorter. */
  byte[] readBytes(int length) throws IOException {
    long start = position();
    if (length > remainingKnown()) {
      throw new DicomParseException(
          start, "value of " + length + " bytes runs past the end of input");
    }
    byte[] out = new byte[Math.min(length, CHUNK)];
    int done = 0;
    while (done < length) {
      if (done == out.length) {
        out = java.util.Arrays.copyOf(out, (int) Math.min(length, (long) out.length * 2));
      }
      if (pos == limit && !ensure(1)) {
        throw new DicomParseException(
            start, "value of " + length + " bytes truncated after " + done + " bytes");
      }
      int n = Math.min(limit - pos, out.length - done);
      System.arraycopy(buf, pos, out, done, n);
      pos += n;
      done += n;
    }
    return out;
  }

  /** Skips {@code length} bytes, failing if the input ends first. */
  void skip(long length) throws IOException {
    long start = position();
    if (length > remainingKnown()) {
      throw new DicomParseException(
          start, "value of " + length + " bytes runs past the end of input");
    }
    long left = length;
    while (left > 0) {
      if (pos == limit) {
        // Buffer empty: let the stream skip, then verify with a read that it had the bytes.
        long skipped = in.skip(Math.max(0, left - 1));
        base += limit + skipped;
        pos = 0;
        limit = 0;
        left -= skipped;
        if (left > 0 && !ensure(1)) {
          throw new DicomParseException(start, "value of " + length + " bytes truncated");
        }
      }
      int n = (int) Math.min(limit - pos, left);
      pos += n;
      left -= n;
    }
  }

  /** The unread bytes: what is buffered, then the rest of the stream. */
  InputStream rest() {
    byte[] buffered = java.util.Arrays.copyOfRange(buf, pos, limit);
    base += limit;
    pos = 0;
    limit = 0;
    return new SequenceInputStream(new java.io.ByteArrayInputStream(buffered), in);
  }
}
