package org.strata.ingest.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails the read once more than {@code limit} bytes went through. */
final class LimitedInputStream extends FilterInputStream {
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  private final long limit;
  private long count;

  boolean exceeded() {
    return count > limit;
  }

  LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0 && ++count > limit) {
      throw new TooLargeException();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0 && (count += n) > limit) {
      throw new TooLargeException();
    }
    return n;
  }
}
