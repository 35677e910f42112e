package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.strata.ingest.config.IngestConfig;

/**
 * Who may store when: at most {@code strata.ingest.max-concurrent-stores} stores at a time in this
 * process (a store waits for a slot: back-pressure rather than more than memory and S3 can bear),
 * and one store per object key at a time (ADR 0017): a concurrent duplicate must neither race the
 * conditional PUT (s3proxy's filesystem store does not make it atomic) nor be acknowledged against
 * an object that a failed publish is about to remove.
 *
 * <p>A key is held from the conditional PUT until its event is acknowledged or the object removed
 * again. For a STOW-RS request that is when the request's events are published together (ADR 0066),
 * possibly on another thread, so a hold belongs to the store, not to a thread; and a key held back
 * that way is published as soon as another store waits for it, so no store ever waits for a request
 * that is itself waiting (two requests sending the same instances at once).
 */
@ApplicationScoped
public class StoreAdmission {
  private final Semaphore concurrentStores;
  private final ConcurrentHashMap<String, KeyHold> held = new ConcurrentHashMap<>();

  public StoreAdmission(IngestConfig config) {
    this.concurrentStores = new Semaphore(config.maxConcurrentStores(), true);
  }

  /** Waits for a store slot; {@link #leave()} gives it back. */
  void enter() {
    concurrentStores.acquireUninterruptibly();
  }

  void leave() {
    concurrentStores.release();
  }

  /**
   * Holds {@code key} for one store, waiting while another store holds it; the hold is given back
   * with {@link KeyHold#release()} by whichever thread finishes the store.
   */
  KeyHold hold(String key) {
    KeyHold mine = new KeyHold(key);
    while (true) {
      KeyHold other = held.putIfAbsent(key, mine);
      if (other == null) {
        return mine;
      }
      other.awaitRelease();
    }
  }

  /** Whether a store holds {@code key} now. */
  boolean isHeld(String key) {
    return held.containsKey(key);
  }

  /** One store's hold of an object key. */
  final class KeyHold {
    private final String key;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile Runnable publishHeldBack;

    private KeyHold(String key) {
      this.key = key;
    }

    /**
     * The key's event is held back, to be published by {@code publish}.
     *
     * @return whether a store waits for the key already: then the caller publishes now
     */
    boolean heldBackUntil(Runnable publish) {
      publishHeldBack = publish;
      // Read after the write above, as the waiter reads publishHeldBack after counting itself:
      // at least one of the two sees the other, so a waiter never waits on a held-back event.
      return waiting.get() > 0;
    }

    /** Gives the key back (again: nothing). */
    void release() {
      held.remove(key, this);
      released.complete(null);
    }

    private void awaitRelease() {
      waiting.incrementAndGet();
      Runnable publish = publishHeldBack;
      if (publish != null) {
        publish.run();
      }
      // Without interruption, as a lock waits: join() keeps an interrupt for later.
      released.join();
    }
  }
}
