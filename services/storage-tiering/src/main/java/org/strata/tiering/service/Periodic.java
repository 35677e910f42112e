package org.strata.tiering.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A task run on its own thread every interval; a failure is logged and the task runs again at the
 * next interval (the database or a tier may be back by then).
 */
final class Periodic {
  private static final Logger LOG = Logger.getLogger(Periodic.class);

  /** A task that may fail. */
  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  private Periodic() {}

  static ScheduledExecutorService start(
      String thread, Duration initialDelay, Duration every, String what, Task task) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, thread));
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (Exception e) {
            LOG.warnf("%s failed (%s); again at the next interval", what, e.toString());
          }
        },
        initialDelay.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return executor;
  }
}
