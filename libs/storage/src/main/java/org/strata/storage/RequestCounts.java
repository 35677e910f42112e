package org.strata.storage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of requests by HTTP method. */
final class RequestCounts {
  private final ConcurrentHashMap<String, LongAdder> byMethod = new ConcurrentHashMap<>();

  void count(String method) {
    byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    byMethod.forEach((m, n) -> out.put(m, n.sum()));
    return out;
  }
}
