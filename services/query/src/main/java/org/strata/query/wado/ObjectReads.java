package org.strata.query.wado;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The reads of whole objects into the object cache, by cache key (ADR 0075): those the read-ahead
 * queued, in its order, and those under way, by a read-ahead reader or a request. A request that
 * needs an object {@link #claim claims} it: it waits for the read under way rather than reading the
 * object a second time, takes a queued object out of the queue and reads it at once (a viewer's
 * request beats speculation), or reads one the read-ahead does not know. While requests read, the
 * read-ahead starts no more than {@code readersWhileRequests} reads at a time, so on a small
 * machine its reads do not starve the ones a viewer waits for.
 *
 * <p>Bounded: at most {@code capacity} objects queued (further ones are refused: best effort), at
 * most {@code readers} reader loops on {@code executor}.
 *
 * @param <T> what a reader needs to read one object
 */
final class ObjectReads<T> {
  /** Where a request's object came from (the metric's {@code source}). */
  enum Source {
    /** In the cache already. */
    CACHE,
    /** Being read by the read-ahead (or another request): waited for. */
    WAITED,
    /** Queued by the read-ahead, not started: read by the request at once, out of the queue. */
    PROMOTED,
    /** Not in the read-ahead: read by the request. */
    REQUEST;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final int capacity;
  private final int readers;
  private final int readersWhileRequests;
  private final Executor executor;
  private final Consumer<T> reader;

  private final LinkedHashMap<String, T> queued = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Void>> underWay = new HashMap<>();
  private int loops;
  private int requests;

  ObjectReads(
      int capacity, int readers, int readersWhileRequests, Executor executor, Consumer<T> reader) {
    this.capacity = capacity;
    this.readers = readers;
    this.readersWhileRequests = readersWhileRequests;
    this.executor = executor;
    this.reader = reader;
  }

  /**
   * Queues {@code items} (by key, in the map's order) for background reads, but none queued or
   * under way already; false when the queue filled up and the rest were dropped.
   */
  boolean offer(SequencedMap<String, T> items) {
    boolean all = true;
    synchronized (this) {
      for (Map.Entry<String, T> e : items.entrySet()) {
        if (queued.containsKey(e.getKey()) || underWay.containsKey(e.getKey())) {
          continue;
        }
        if (queued.size() >= capacity) {
          all = false;
          break;
        }
        queued.put(e.getKey(), e.getValue());
      }
    }
    startLoops();
    return all;
  }

  /**
   * A request needs {@code key}'s object now. Close the claim when done with it: that ends the
   * request's own read, so waiters go on, and lets the read-ahead speed up again.
   */
  Claim claim(String key) {
    synchronized (this) {
      requests++;
      CompletableFuture<Void> running = underWay.get(key);
      if (running != null) {
        return new Claim(key, Source.WAITED, running, false);
      }
      boolean wasQueued = queued.remove(key) != null;
      CompletableFuture<Void> own = new CompletableFuture<>();
      underWay.put(key, own);
      return new Claim(key, wasQueued ? Source.PROMOTED : Source.REQUEST, own, true);
    }
  }

  synchronized int queued() {
    return queued.size();
  }

  synchronized boolean isQueued(String key) {
    return queued.containsKey(key);
  }

  synchronized boolean isUnderWay(String key) {
    return underWay.containsKey(key);
  }

  /** What a request claimed: its own read to do, or another one's to wait for. */
  final class Claim implements AutoCloseable {
    private final String key;
    private final Source source;
    private final CompletableFuture<Void> read;
    private final boolean own;
    private boolean closed;

    private Claim(String key, Source source, CompletableFuture<Void> read, boolean own) {
      this.key = key;
      this.source = source;
      this.read = read;
      this.own = own;
    }

    Source source() {
      return source;
    }

    /** Whether the request reads the object itself (else it waits for {@link #await}). */
    boolean own() {
      return own;
    }

    /**
     * Waits (at most {@code seconds}) for the read under way to end, successful or not; false when
     * it did not end in time.
     */
    boolean await(long seconds) throws InterruptedException {
      try {
        read.get(seconds, TimeUnit.SECONDS);
        return true;
      } catch (ExecutionException e) {
        return true; // ended; the cache says whether it read the object
      } catch (TimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() {
      synchronized (ObjectReads.this) {
        if (closed) {
          return;
        }
        closed = true;
        requests--;
        if (own) {
          underWay.remove(key);
        }
      }
      if (own) {
        read.complete(null);
      }
      startLoops();
    }
  }

  /** Starts reader loops up to what is allowed now (fewer while requests read). */
  private void startLoops() {
    int start;
    synchronized (this) {
      start = Math.min(allowed() - loops, queued.size());
      if (start <= 0) {
        return;
      }
      loops += start;
    }
    for (int k = 0; k < start; k++) {
      try {
        executor.execute(this::loop);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          loops--; // the executor is shut down or full: the next offer or claim tries again
        }
      }
    }
  }

  private int allowed() {
    return requests > 0 ? readersWhileRequests : readers;
  }

  /** One reader: takes the queue's first object while it is allowed to. */
  private void loop() {
    while (true) {
      String key;
      T item;
      CompletableFuture<Void> done = new CompletableFuture<>();
      synchronized (this) {
        if (queued.isEmpty() || loops > allowed() || Thread.currentThread().isInterrupted()) {
          loops--;
          return;
        }
        Iterator<Map.Entry<String, T>> first = queued.entrySet().iterator();
        Map.Entry<String, T> next = first.next();
        first.remove();
        key = next.getKey();
        item = next.getValue();
        underWay.put(key, done);
      }
      try {
        reader.accept(item);
      } catch (RuntimeException e) {
        // the reader's own failures are its business; the loop goes on
      } finally {
        synchronized (this) {
          underWay.remove(key);
        }
        done.complete(null);
      }
    }
  }
}
