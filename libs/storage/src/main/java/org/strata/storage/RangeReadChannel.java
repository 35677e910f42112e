package org.strata.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A read-only {@link FileChannel} over one stored object whose positional reads are S3 range reads.
 * {@link org.strata.dicom.io.FrameIndex#of} reads through it the few values it needs that the parse
 * left in the object (a large Basic or Extended Offset Table, the first bytes of fragments when
 * frames are found by codec markers), so the object is never copied to disk or memory. Only {@link
 * #read(ByteBuffer, long)} and {@link #size()} are supported.
 */
public final class RangeReadChannel extends FileChannel {
  private final ObjectStore store;
  private final String key;
  private final long size;

  public RangeReadChannel(ObjectStore store, String key, long size) {
    this.store = store;
    this.key = key;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position >= size) {
      return -1;
    }
    int wanted = (int) Math.min(dst.remaining(), size - position);
    if (wanted == 0) {
      return 0;
    }
    try (InputStream in = store.getRange(key, position, wanted)) {
      byte[] bytes = in.readNBytes(wanted);
      if (bytes.length == 0) {
        return -1;
      }
      dst.put(bytes);
      return bytes.length;
    } catch (StorageException e) {
      throw new IOException("range read failed", e);
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int write(ByteBuffer src) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long position() {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileChannel position(long newPosition) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileChannel truncate(long size) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void force(boolean metaData) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new UnsupportedOperationException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void implCloseChannel() {
    // Nothing held: every read is its own request.
  }
}
