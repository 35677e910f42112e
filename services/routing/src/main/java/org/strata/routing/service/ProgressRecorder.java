package org.strata.routing.service;

import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * The progress of one attempt, written in batches (ADR 0062): once {@code batch} more instances are
 * confirmed than last written, or {@code interval} after the last write, so that sending is not one
 * database write per instance. A crash loses at most the confirmations since the last write: the
 * instances sent twice after a restart.
 */
final class ProgressRecorder implements Progress {
  private final IntConsumer write;
  private final int before;
  private final int batch;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private int written;
  private long lastWrite;

  /**
   * @param write writes the confirmed count of the record (instances of the record on the queue)
   * @param before instances of that record confirmed before this attempt (by an interrupted one)
   */
  ProgressRecorder(
      IntConsumer write, int before, int batch, Duration interval, LongSupplier nanoTime) {
    this.write = write;
    this.before = before;
    this.batch = Math.max(1, batch);
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.lastWrite = nanoTime.getAsLong();
  }

  @Override
  public void confirmed(int confirmed) {
    long now = nanoTime.getAsLong();
    if (confirmed - written >= batch || now - lastWrite >= intervalNanos) {
      write.accept(before + confirmed);
      written = confirmed;
      lastWrite = now;
    }
  }
}
