package org.strata.ingest.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the time spent waiting in {@code read} of the wrapped stream. */
final class ReadTime extends FilterInputStream {
  private long nanos;

  ReadTime(InputStream in) {
    super(in);
  }

  long nanos() {
    return nanos;
  }

  @Override
  public int read() throws IOException {
    long t0 = System.nanoTime();
    try {
      return super.read();
    } finally {
      nanos += System.nanoTime() - t0;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    long t0 = System.nanoTime();
    try {
      return super.read(b, off, len);
    } finally {
      nanos += System.nanoTime() - t0;
    }
  }
}
