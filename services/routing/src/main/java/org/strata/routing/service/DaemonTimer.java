package org.strata.routing.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A named daemon thread running a task at a fixed delay (routing's periodic housekeeping). */
final class DaemonTimer {
  private DaemonTimer() {}

  /**
   * Runs {@code task} every {@code interval}, first one interval from now; shut it down to stop.
   */
  static ScheduledExecutorService every(String threadName, Duration interval, Runnable task) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    long every = interval.toMillis();
    timer.scheduleWithFixedDelay(task, every, every, TimeUnit.MILLISECONDS);
    return timer;
  }
}
