package org.strata.routing.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits {@code initial * 2^(n-1)} capped at {@code
 * max}, of which a random half ("equal jitter"), so that the jobs of a destination that failed
 * together do not come back together.
 */
public record Backoff(Duration initial, Duration max) {

  /** The wait before the attempt that follows {@code failedAttempts} failures (>= 1). */
  public Duration after(int failedAttempts) {
    long base = initial.toMillis();
    int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long full = Math.min(max.toMillis(), base << shift);
    if (full <= 1) {
      return Duration.ofMillis(full);
    }
    long half = full / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
  }
}
