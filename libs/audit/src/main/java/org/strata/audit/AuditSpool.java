package org.strata.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local, bounded, durable queue of audit records not yet acknowledged by Kafka: append-only
 * segment files of lines {@code <key> <json>\n} under one directory. A record is on disk (forced,
 * shared by concurrent appenders: group commit) before {@link #append} returns; the forwarder reads
 * segments in order and deletes a segment once every record of it is acknowledged. How far a
 * segment is acknowledged is noted next to it without a force: after a crash at most a few records
 * are sent again, which their stable ids make harmless.
 */
final class AuditSpool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditSpool.class);
  private static final String SEGMENT = ".seg";
  private static final String ACKED = ".acked";
  private static final int READ_CHUNK = 1 << 20;

  private final Path dir;
  private final FileChannel lock;
  private final long maxBytes;
  private final long segmentBytes;
  private final boolean fsync;
  private final Object writeLock = new Object();
  private final Object syncLock = new Object();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private Segment active;
  private long pendingBytes;
  private long pendingRecords;
  private long appendedTotal;
  private volatile long durableTotal;

  /** A batch of records read for sending, and where it ends in its segment. */
  record Batch(long segment, long start, long end, List<Line> lines) {}

  /** One spooled record: its Kafka key and value. */
  record Line(String key, byte[] value) {}

  private static final class Segment {
    final long seq;
    final Path path;
    FileChannel channel; // open for the active segment and for sealed ones until deleted
    long length;
    long durableLength;
    long acked;

    Segment(long seq, Path path) {
      this.seq = seq;
      this.path = path;
    }
  }

  AuditSpool(Path dir, long maxBytes, long segmentBytes, boolean fsync) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.lock = lockDirectory(this.dir);
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
    recover();
    openNewActive(segments.isEmpty() ? 1 : segments.lastKey() + 1);
  }

  /** One process per spool: two writers would number segments alike and send each other's. */
  private static FileChannel lockDirectory(Path dir) throws IOException {
    FileChannel channel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (java.nio.channels.OverlappingFileLockException e) {
      // held in this JVM already
    }
    channel.close();
    throw new IOException("audit spool " + dir + " is in use by another process");
  }

  /** Records waiting for Kafka. */
  long pendingRecords() {
    synchronized (writeLock) {
      return pendingRecords;
    }
  }

  long pendingBytes() {
    synchronized (writeLock) {
      return pendingBytes;
    }
  }

  /**
   * Appends the lines and returns once they are on disk; {@link SpoolFullException} (nothing
   * appended) if they would take the spool past its bound.
   */
  void append(List<Line> lines) throws IOException, SpoolFullException {
    ByteBuffer buffer = encode(lines);
    int size = buffer.remaining();
    long end;
    synchronized (writeLock) {
      if (pendingBytes + size > maxBytes) {
        throw new SpoolFullException(pendingRecords, pendingBytes);
      }
      if (active.length > 0 && active.length + size > segmentBytes) {
        roll();
      }
      long position = active.length;
      while (buffer.hasRemaining()) {
        position += active.channel.write(buffer, position);
      }
      active.length = position;
      pendingBytes += size;
      pendingRecords += lines.size();
      appendedTotal += size;
      end = appendedTotal;
      if (!fsync) {
        active.durableLength = active.length;
        durableTotal = appendedTotal;
      }
    }
    if (fsync) {
      force(end);
    }
    synchronized (writeLock) {
      writeLock.notifyAll();
    }
  }

  /** Group commit: one force covers every append that finished writing before it began. */
  private void force(long end) throws IOException {
    synchronized (syncLock) {
      if (durableTotal >= end) {
        return;
      }
      Segment segment;
      long target;
      long length;
      synchronized (writeLock) {
        segment = active;
        target = appendedTotal;
        length = active.length;
      }
      // A roll since then forced the earlier segment itself; this one holds the rest up to target.
      segment.channel.force(false);
      synchronized (writeLock) {
        segment.durableLength = Math.max(segment.durableLength, length);
        durableTotal = target;
      }
    }
  }

  /**
   * The next records to send, waiting up to {@code timeout} for some; {@code null} if none came.
   */
  Batch next(long timeout, TimeUnit unit) throws IOException, InterruptedException {
    Segment segment;
    long start;
    long end;
    synchronized (writeLock) {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      while ((segment = firstUnsent()) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(writeLock, left);
      }
      start = segment.acked;
      end = segment.durableLength;
    }
    return read(segment, start, end);
  }

  private Segment firstUnsent() {
    for (Segment s : segments.values()) {
      if (s.acked < s.durableLength) {
        return s;
      }
    }
    return null;
  }

  private Batch read(Segment segment, long start, long end) throws IOException {
    long wanted = Math.min(end - start, READ_CHUNK);
    byte[] bytes = readRange(segment.path, start, wanted);
    int last = lastNewline(bytes);
    if (last < 0) { // one record longer than a chunk
      bytes = readRange(segment.path, start, end - start);
      last = lastNewline(bytes);
    }
    List<Line> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= last; i++) {
      if (bytes[i] == '\n') {
        lines.add(parse(bytes, from, i));
        from = i + 1;
      }
    }
    return new Batch(segment.seq, start, start + last + 1, lines);
  }

  /** Every record of the batch is in Kafka: forget them, delete a finished segment. */
  void acknowledge(Batch batch) throws IOException {
    Segment segment;
    boolean finished;
    synchronized (writeLock) {
      segment = segments.get(batch.segment());
      if (segment == null || segment.acked != batch.start()) {
        return;
      }
      segment.acked = batch.end();
      pendingBytes -= batch.end() - batch.start();
      pendingRecords -= batch.lines().size();
      finished = segment != active && segment.acked == segment.length;
      if (finished) {
        segments.remove(segment.seq);
        segment.channel.close();
      }
    }
    if (finished) {
      Files.deleteIfExists(segment.path);
      Files.deleteIfExists(ackedPath(segment.seq));
    } else {
      // Not forced: a lost note only means these records are sent once more after a crash.
      Files.writeString(ackedPath(segment.seq), Long.toString(batch.end()));
    }
  }

  private void roll() throws IOException {
    Segment sealed = active;
    if (fsync) {
      sealed.channel.force(false);
    }
    sealed.durableLength = sealed.length;
    openNewActive(sealed.seq + 1);
    if (sealed.acked == sealed.length) {
      segments.remove(sealed.seq);
      sealed.channel.close();
      Files.deleteIfExists(sealed.path);
      Files.deleteIfExists(ackedPath(sealed.seq));
    }
  }

  private void openNewActive(long seq) throws IOException {
    Segment segment = new Segment(seq, segmentPath(seq));
    segment.channel =
        FileChannel.open(
            segment.path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    if (fsync) {
      forceDirectory();
    }
    segments.put(seq, segment);
    active = segment;
  }

  /** Reads what an earlier run left: cuts a torn last line, skips what it had acknowledged. */
  private void recover() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(SEGMENT)).sorted().toList();
    }
    for (Path file : files) {
      long seq = Long.parseLong(file.getFileName().toString().replace(SEGMENT, ""));
      byte[] bytes = Files.readAllBytes(file);
      int length = lastNewline(bytes) + 1;
      if (length < bytes.length) {
        LOG.warn("audit spool {}: cut {} bytes of a torn record", file, bytes.length - length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(length);
          ch.force(false);
        }
      }
      long acked = readAcked(seq, bytes, length);
      if (acked == length) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(ackedPath(seq));
        continue;
      }
      Segment segment = new Segment(seq, file);
      segment.channel = FileChannel.open(file, StandardOpenOption.READ);
      segment.length = length;
      segment.durableLength = length;
      segment.acked = acked;
      segments.put(seq, segment);
      pendingBytes += length - acked;
      for (long i = acked; i < length; i++) {
        if (bytes[(int) i] == '\n') {
          pendingRecords++;
        }
      }
    }
    if (pendingRecords > 0) {
      LOG.info("audit spool {}: {} records from an earlier run to send", dir, pendingRecords);
    }
  }

  /** The acknowledged offset noted for a segment, if it is a line boundary within it; else 0. */
  private long readAcked(long seq, byte[] bytes, int length) {
    try {
      long acked = Long.parseLong(Files.readString(ackedPath(seq)).trim());
      boolean boundary = acked == 0 || (acked <= length && bytes[(int) acked - 1] == '\n');
      return boundary ? acked : 0;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | RuntimeException e) {
      LOG.warn("audit spool: unreadable acknowledgement note of segment {}; sending it all", seq);
      return 0;
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private Path segmentPath(long seq) {
    return dir.resolve(String.format("%020d", seq) + SEGMENT);
  }

  private Path ackedPath(long seq) {
    return dir.resolve(String.format("%020d", seq) + ACKED);
  }

  private static ByteBuffer encode(List<Line> lines) {
    int size = 0;
    for (Line l : lines) {
      size += l.key().length() + 1 + l.value().length + 1;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    for (Line l : lines) {
      // Keys are UUIDs and values compact JSON: neither holds a space-then-newline ambiguity.
      buffer.put(l.key().getBytes(StandardCharsets.US_ASCII)).put((byte) ' ');
      buffer.put(l.value()).put((byte) '\n');
    }
    return buffer.flip();
  }

  private static Line parse(byte[] bytes, int from, int newline) {
    int space = from;
    while (space < newline && bytes[space] != ' ') {
      space++;
    }
    String key = new String(bytes, from, space - from, StandardCharsets.US_ASCII);
    byte[] value = new byte[Math.max(0, newline - space - 1)];
    System.arraycopy(bytes, space + 1, value, 0, value.length);
    return new Line(key, value);
  }

  private static byte[] readRange(Path path, long start, long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) length);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long position = start;
      while (buffer.hasRemaining()) {
        int n = ch.read(buffer, position);
        if (n < 0) {
          throw new IOException("audit spool segment " + path + " shorter than recorded");
        }
        position += n;
      }
    }
    return buffer.array();
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Wakes a waiting {@link #next} (on close). */
  void wake() {
    synchronized (writeLock) {
      writeLock.notifyAll();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      for (Segment s : segments.values()) {
        if (s.channel != null && s.channel.isOpen()) {
          if (fsync && s == active) {
            s.channel.force(false);
          }
          s.channel.close();
        }
      }
      if (active.length == 0) { // nothing in it: leave no empty file behind
        segments.remove(active.seq);
        Files.deleteIfExists(active.path);
      }
      lock.close();
    }
  }

  /** The spool is at its bound. */
  static final class SpoolFullException extends Exception {
    private static final long serialVersionUID = 1L;

    SpoolFullException(long records, long bytes) {
      super("audit spool full: " + records + " records (" + bytes + " bytes) wait for Kafka");
    }
  }
}
