package org.strata.audit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one security alert per source and rule within a window, so a scanner hammering an
 * endpoint with hostile input fills neither the spool nor the audit trail: the first refusal of a
 * window is recorded, the rest are only counted (and the count goes into the next alert).
 */
public final class SecurityAlertThrottle {
  private static final int MAX_KEYS = 10_000;

  private final long windowNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  private record Window(long startNanos, int suppressed) {}

  public SecurityAlertThrottle(Duration window) {
    this.windowNanos = window.toNanos();
  }

  /**
   * Whether an alert for this source and rule should be recorded now; -1 if not, else how many were
   * suppressed since the last recorded one.
   */
  public int admit(String source, String rule) {
    if (windows.size() > MAX_KEYS) {
      windows.clear(); // bounded memory; worst case a few extra alerts
    }
    long now = System.nanoTime();
    int[] result = {-1};
    windows.compute(
        source + '|' + rule,
        (k, w) -> {
          if (w == null || now - w.startNanos() >= windowNanos) {
            result[0] = w == null ? 0 : w.suppressed();
            return new Window(now, 0);
          }
          return new Window(w.startNanos(), w.suppressed() + 1);
        });
    return result[0];
  }
}
