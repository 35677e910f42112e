package org.strata.routing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffAndBreakerTest {

  @Test
  void backoffDoublesWithinItsJitterUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    for (int i = 0; i < 200; i++) {
      long first = b.after(1).toMillis();
      assertTrue(first >= 500 && first <= 1000, "first retry: " + first);
      long third = b.after(3).toMillis();
      assertTrue(third >= 2000 && third <= 4000, "third retry: " + third);
      long late = b.after(40).toMillis();
      assertTrue(late >= 5000 && late <= 10_000, "capped: " + late);
    }
  }

  @Test
  void theBreakerOpensAfterItsThresholdAndAdmitsOneTrialWhenTheTimeIsUp() {
    CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(30));
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    breaker.failed(t);
    assertTrue(breaker.tryAcquire(t), "one failure: still closed");
    breaker.failed(t);
    assertEquals(CircuitBreaker.State.OPEN, breaker.state(t));
    assertFalse(breaker.tryAcquire(t.plusSeconds(29)));
    assertTrue(breaker.tryAcquire(t.plusSeconds(30)), "the trial");
    assertFalse(breaker.tryAcquire(t.plusSeconds(30)), "only one trial at a time");
    breaker.failed(t.plusSeconds(31));
    assertFalse(breaker.tryAcquire(t.plusSeconds(32)), "the failed trial opens it again");
    assertTrue(breaker.tryAcquire(t.plusSeconds(61)));
    breaker.succeeded();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state(t.plusSeconds(61)));
    assertTrue(breaker.tryAcquire(t.plusSeconds(61)));
  }
}
