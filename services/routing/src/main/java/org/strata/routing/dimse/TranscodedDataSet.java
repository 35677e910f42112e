package org.strata.routing.dimse;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.strata.dicom.codec.Transcoder;
import org.strata.dicom.net.StoredDataSet;

/**
 * The data set of a Part 10 object re-encoded in a native transfer syntax as it is read
 * (dicom-core's {@link Transcoder}, one frame at a time): a virtual thread transcodes into a 64 KiB
 * pipe the C-STORE reads from, so memory does not grow with the object. A failure of the
 * transcoding is raised to the reader as {@link Failed} (never a short data set that would look
 * complete).
 */
final class TranscodedDataSet {
  private static final int CHUNK = 64 * 1024;

  /** The object could not be transcoded; the message says why (never PHI). */
  static final class Failed extends IOException {
    Failed(Throwable cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }
  }

  private TranscodedDataSet() {}

  /** The data set (no file meta information) of {@code part10} in {@code targetTs}. */
  static InputStream open(InputStream part10, String targetTs) throws IOException {
    Pipe pipe = new Pipe();
    PipedOutputStream sink = new PipedOutputStream(pipe);
    Thread.ofVirtual()
        .name("routing-transcode")
        .start(
            () -> {
              try {
                OutputStream out = new BufferedOutputStream(new FlushingWrites(sink), CHUNK);
                Transcoder.transcode(part10, out, targetTs);
                out.flush();
              } catch (IOException | RuntimeException e) {
                pipe.failure = e; // before the pipe closes: the reader must not see a clean end
              } finally {
                closeQuietly(sink);
                closeQuietly(part10);
              }
            });
    return StoredDataSet.open(pipe);
  }

  /** A pipe whose end raises the writer's failure, if it had one. */
  private static final class Pipe extends PipedInputStream {
    volatile Exception failure;

    Pipe() {
      super(CHUNK);
    }

    @Override
    public synchronized int read() throws IOException {
      return checked(super.read());
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      return checked(super.read(b, off, len));
    }

    private int checked(int n) throws IOException {
      if (n < 0 && failure != null) {
        throw new Failed(failure);
      }
      return n;
    }
  }

  /**
   * Wakes the reader after every write: a pipe's reader otherwise waits up to a second for data
   * that is already there.
   */
  private static final class FlushingWrites extends FilterOutputStream {
    FlushingWrites(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      out.flush();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // the reader went away (the C-STORE stopped): nothing left to do
    }
  }
}
