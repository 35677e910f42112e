package org.strata.query.wado;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used map bounded by the (estimated) bytes of its entries rather than their
 * number: the frame index of a 2,000-frame instance weighs what a hundred single-frame ones do. One
 * lock around a {@link LinkedHashMap} in access order; lookups are a hash probe, so contention is
 * not a concern at the request rates of one query service. An entry larger than the whole budget is
 * not kept.
 */
final class ByteBoundedLru<K, V> {
  private final long maxBytes;
  private final ToLongFunction<V> weigher;
  private final Consumer<V> onEvict;
  private final LinkedHashMap<K, Entry<V>> map = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  private record Entry<V>(V value, long weight) {}

  ByteBoundedLru(long maxBytes, ToLongFunction<V> weigher) {
    this(maxBytes, weigher, v -> {});
  }

  /** As above; {@code onEvict} gets every value that leaves (evicted, replaced or removed). */
  ByteBoundedLru(long maxBytes, ToLongFunction<V> weigher, Consumer<V> onEvict) {
    this.maxBytes = maxBytes;
    this.weigher = weigher;
    this.onEvict = onEvict;
  }

  /** The value, or null; counts a hit or a miss. */
  synchronized V get(K key) {
    Entry<V> e = map.get(key);
    if (e == null) {
      misses++;
      return null;
    }
    hits++;
    return e.value();
  }

  /** Whether {@code key} is there, without counting or touching its recency. */
  synchronized boolean peek(K key) {
    return map.containsKey(key);
  }

  /** Keeps {@code value}, evicting the least recently used entries beyond the budget. */
  synchronized void put(K key, V value) {
    long weight = weigher.applyAsLong(value);
    if (weight > maxBytes) {
      onEvict.accept(value);
      return;
    }
    Entry<V> old = map.put(key, new Entry<>(value, weight));
    if (old != null) {
      bytes -= old.weight();
      onEvict.accept(old.value());
    }
    bytes += weight;
    Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<K, Entry<V>> eldest = it.next();
      bytes -= eldest.getValue().weight();
      it.remove();
      onEvict.accept(eldest.getValue().value());
    }
  }

  /** Drops {@code key}'s entry, if any. */
  synchronized void remove(K key) {
    Entry<V> old = map.remove(key);
    if (old != null) {
      bytes -= old.weight();
      onEvict.accept(old.value());
    }
  }

  synchronized int size() {
    return map.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
