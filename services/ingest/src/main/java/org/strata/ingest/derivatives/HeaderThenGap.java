package org.strata.ingest.derivatives;

import java.io.InputStream;
import java.util.Arrays;

/**
 * A stand-in for an object of which only the first bytes (header) and the last bytes (tail) are
 * known: the bytes between (a Pixel Data value, which the reader skips and never interprets) read
 * as zeros, and skipping costs nothing.
 */
final class HeaderThenGap extends InputStream {
  private final byte[] header;
  private final long tailOffset;
  private final byte[] tail;
  private final long size;
  private long position;

  HeaderThenGap(byte[] header, long tailOffset, byte[] tail, long size) {
    if (size < header.length || (tail.length > 0 && tailOffset + tail.length != size)) {
      throw new IllegalArgumentException("header and tail do not fit the object's size");
    }
    this.header = header;
    this.tailOffset = tail.length == 0 ? size : tailOffset;
    this.tail = tail;
    this.size = size;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (position >= size) {
      return -1;
    }
    int n;
    if (position < header.length) {
      // The header may run into the tail (read-ahead of a small object): it is the same bytes.
      n = (int) Math.min(len, header.length - position);
      System.arraycopy(header, (int) position, b, off, n);
    } else if (position >= tailOffset) {
      n = (int) Math.min(len, size - position);
      System.arraycopy(tail, (int) (position - tailOffset), b, off, n);
    } else {
      n = (int) Math.min(len, tailOffset - position);
      Arrays.fill(b, off, off + n, (byte) 0);
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, size - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, size - position);
  }
}
