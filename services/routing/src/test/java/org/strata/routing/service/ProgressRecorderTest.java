package org.strata.routing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An attempt's progress is written in batches: every n instances, or after the interval. */
class ProgressRecorderTest {
  private final List<Integer> writes = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong();

  @Test
  void writesOnceEveryBatchOfConfirmedInstances() {
    ProgressRecorder p = new ProgressRecorder(writes::add, 0, 10, Duration.ofHours(1), clock::get);
    for (int confirmed = 1; confirmed <= 25; confirmed++) {
      p.confirmed(confirmed);
    }
    assertEquals(List.of(10, 20), writes);
  }

  @Test
  void writesWhenTheIntervalPassedSinceTheLastWrite() {
    ProgressRecorder p =
        new ProgressRecorder(writes::add, 0, 10, Duration.ofSeconds(1), clock::get);
    p.confirmed(1);
    clock.addAndGet(Duration.ofMillis(999).toNanos());
    p.confirmed(2);
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    p.confirmed(3);
    p.confirmed(4);
    assertEquals(List.of(3), writes);
  }

  @Test
  void countsTheInstancesAnInterruptedAttemptConfirmedBefore() {
    ProgressRecorder p = new ProgressRecorder(writes::add, 7, 2, Duration.ofHours(1), clock::get);
    p.confirmed(1);
    p.confirmed(2);
    assertEquals(List.of(9), writes);
  }
}
