package org.strata.platform;

import java.time.Duration;

/**
 * How a supervised process is restarted after it exits on its own, as Kubernetes restarts a
 * container: after a backoff that doubles with every crash in a row (from {@code firstBackoff} up
 * to {@code maxBackoff}), and not at all once it crashed {@code maxRestartsInARow} times in a row,
 * each within {@code stableAfter} of its start (a crash loop: its log says why, restarting again
 * would not help). A process that ran for {@code stableAfter} starts a new count.
 */
public record RestartPolicy(
    Duration firstBackoff, Duration maxBackoff, int maxRestartsInARow, Duration stableAfter) {

  /** {@code make run}: 1 s, 2 s, 4 s ... 30 s; gives up after 5 crashes within a minute each. */
  public static final RestartPolicy DEFAULT =
      new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(1));

  public RestartPolicy {
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("backoffs must satisfy 0 <= first <= max");
    }
    if (maxRestartsInARow < 1) {
      throw new IllegalArgumentException("maxRestartsInARow must be at least 1");
    }
  }

  /** The wait before the {@code crashesInARow}-th restart in a row (1 is the first). */
  Duration backoff(int crashesInARow) {
    Duration wait = firstBackoff;
    for (int i = 1; i < crashesInARow && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
