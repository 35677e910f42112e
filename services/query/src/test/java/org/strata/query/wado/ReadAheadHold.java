package org.strata.query.wado;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * For tests: keeps the object read-ahead's threads busy until closed, so what it is offered stays
 * queued (as on a machine whose readers are all reading).
 */
public final class ReadAheadHold implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);

  private ReadAheadHold() {}

  /** Holds every thread of {@code executor}'s object readers; returns once all are held. */
  public static ReadAheadHold of(StorageExecutor executor) throws InterruptedException {
    ReadAheadHold hold = new ReadAheadHold();
    CountDownLatch held = new CountDownLatch(ObjectReadAhead.READERS);
    for (int k = 0; k < ObjectReadAhead.READERS; k++) {
      executor
          .objectReader()
          .execute(
              () -> {
                held.countDown();
                try {
                  hold.release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
    }
    if (!held.await(60, TimeUnit.SECONDS)) {
      hold.close();
      throw new IllegalStateException("the read-ahead's threads were not free within 60 s");
    }
    return hold;
  }

  /** Waits (at most 60 s) until every one of {@code instances} is queued by {@code readAhead}. */
  public void awaitQueued(ObjectReadAhead readAhead, List<StoredInstance> instances)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!instances.stream().allMatch(readAhead::queued)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not queued by the read-ahead within 60 s");
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    release.countDown();
  }
}
