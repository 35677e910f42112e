package org.strata.ingest.service;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps the bytes of an object that follow its Pixel Data value (typically Data Set Trailing
 * Padding), up to a small limit, as they stream by; with the header they let the derivatives be
 * written without reading the object back (ADR 0015).
 */
final class TailRecorder extends FilterInputStream {
  private final long from;
  private final int limit;
  private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
  private long position;
  private boolean overflow;

  /**
   * @param from offset of the first byte to keep (the end of the Pixel Data value), or negative to
   *     keep nothing
   */
  TailRecorder(InputStream in, long from, int limit) {
    super(in);
    this.from = from;
    this.limit = limit;
    this.overflow = from < 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      long end = position + n;
      if (!overflow && end > from) {
        int skip = (int) Math.max(0, from - position);
        if (tail.size() + n - skip > limit) {
          overflow = true;
          tail.reset();
        } else {
          tail.write(b, off + skip, n - skip);
        }
      }
      position = end;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes may be tail bytes: read them instead.
    byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    return Math.max(0, read(scratch, 0, scratch.length));
  }

  /** The kept bytes from {@code from} to the end, or null when there were more than the limit. */
  byte[] tail() {
    return overflow ? null : tail.toByteArray();
  }
}
