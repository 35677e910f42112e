package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.strata.ingest.config.IngestConfig;

/**
 * Who may store when: at most {@code strata.ingest.max-concurrent-stores} stores at a time in this
 * process (a store waits for a slot: back-pressure rather than more than memory and S3 can bear),
 * and one store per object key at a time (1,024 striped locks, ADR 0017): a concurrent duplicate
 * must neither race the conditional PUT (s3proxy's filesystem store does not make it atomic) nor be
 * acknowledged against an object that a failed publish is about to remove.
 */
@ApplicationScoped
public class StoreAdmission {
  private static final int KEY_LOCKS = 1024;

  private final Semaphore concurrentStores;
  private final ReentrantLock[] keyLocks = new ReentrantLock[KEY_LOCKS];

  public StoreAdmission(IngestConfig config) {
    this.concurrentStores = new Semaphore(config.maxConcurrentStores(), true);
    for (int i = 0; i < keyLocks.length; i++) {
      keyLocks[i] = new ReentrantLock();
    }
  }

  /** Waits for a store slot; {@link #leave()} gives it back. */
  void enter() {
    concurrentStores.acquireUninterruptibly();
  }

  void leave() {
    concurrentStores.release();
  }

  /** The lock of an object key, held from the conditional PUT to the event or the undo. */
  ReentrantLock lockOf(String key) {
    return keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
  }
}
