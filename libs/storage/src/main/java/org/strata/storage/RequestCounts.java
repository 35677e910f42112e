package org.strata.storage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of requests by HTTP method, and of the body bytes sent and received. */
final class RequestCounts {
  private final ConcurrentHashMap<String, LongAdder> byMethod = new ConcurrentHashMap<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();

  void count(String method) {
    byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  /**
   * Body bytes of one exchange, as declared by its Content-Length (unknown lengths: -1, skipped).
   */
  void bytes(long requestBody, long responseBody) {
    sent.add(Math.max(0, requestBody));
    received.add(Math.max(0, responseBody));
  }

  /** {@code sent} and {@code received} body bytes so far. */
  Map<String, Long> bytesSnapshot() {
    return Map.of("sent", sent.sum(), "received", received.sum());
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    byMethod.forEach((m, n) -> out.put(m, n.sum()));
    return out;
  }
}
