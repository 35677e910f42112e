package org.strata.ingest.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails the upload at end of input when the object is visibly incomplete: it ends before the end of
 * a defined-length Pixel Data, or the items of encapsulated Pixel Data do not end with their
 * Sequence Delimitation Item. Pixel data is not decoded: only item headers are looked at as the
 * bytes stream by (8 bytes per fragment).
 */
final class CompletenessCheck extends FilterInputStream {
  static final class TruncatedException extends IOException {
    private static final long serialVersionUID = 1L;

    TruncatedException(String message) {
      super(message);
    }
  }

  private final long requiredLength;
  private long count;
  private boolean truncated;

  // Walking encapsulated fragments: position of the next item header, its bytes as they come.
  private long nextItem;
  private final byte[] item = new byte[8];
  private int itemFill;
  private boolean fragmentsClosed;

  /**
   * @param requiredLength the object must have at least these bytes, or -1
   * @param fragmentsStart offset of the first fragment item header, or -1 when not encapsulated
   */
  CompletenessCheck(InputStream in, long requiredLength, long fragmentsStart) {
    super(in);
    this.requiredLength = requiredLength;
    this.nextItem = fragmentsStart;
    this.fragmentsClosed = fragmentsStart < 0;
  }

  boolean truncated() {
    return truncated;
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
    if (n < 0) {
      check();
      return n;
    }
    walkFragments(b, off, n);
    count += n;
    return n;
  }

  /** Consumes item headers that fall in this chunk; skips item values by arithmetic. */
  private void walkFragments(byte[] b, int off, int n) throws TruncatedException {
    long chunkStart = count;
    long chunkEnd = count + n;
    while (!fragmentsClosed
        && nextItem + itemFill < chunkEnd
        && nextItem + itemFill >= chunkStart) {
      long at = nextItem + itemFill;
      item[itemFill] = b[off + (int) (at - chunkStart)];
      itemFill++;
      if (itemFill < 8) {
        continue;
      }
      int group = (item[0] & 0xff) | (item[1] & 0xff) << 8;
      int element = (item[2] & 0xff) | (item[3] & 0xff) << 8;
      long length =
          (item[4] & 0xffL)
              | (item[5] & 0xffL) << 8
              | (item[6] & 0xffL) << 16
              | (item[7] & 0xffL) << 24;
      itemFill = 0;
      if (group == 0xFFFE && element == 0xE0DD) {
        fragmentsClosed = true;
      } else if (group == 0xFFFE && element == 0xE000 && length != 0xFFFFFFFFL) {
        nextItem += 8 + length;
      } else {
        truncated = true;
        throw new TruncatedException("encapsulated Pixel Data is malformed at byte " + nextItem);
      }
    }
  }

  private void check() throws TruncatedException {
    if (requiredLength >= 0 && count < requiredLength) {
      truncated = true;
      throw new TruncatedException(
          "object truncated: Pixel Data ends at byte " + requiredLength + ", input at " + count);
    }
    if (!fragmentsClosed) {
      truncated = true;
      throw new TruncatedException("object truncated: encapsulated Pixel Data is not closed");
    }
  }
}
