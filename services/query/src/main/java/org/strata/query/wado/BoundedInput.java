package org.strata.query.wado;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** At most {@code left} bytes of a stream (a frame of a cached object, a bulk data range). */
final class BoundedInput extends FilterInputStream {
  private long left;

  BoundedInput(InputStream in, long left) {
    super(in);
    this.left = left;
  }

  @Override
  public int read() throws IOException {
    if (left <= 0) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }
}
