package org.strata.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a {@link ManagedProcess} that exited without being asked to, the way Kubernetes restarts
 * a crashed container ({@link RestartPolicy}), and says so in the log: {@code ingest exited with
 * 137, restarting in 1 s (restart 2)}, then {@code ingest is back, ready 9.8 s after its restart}.
 *
 * <p>A stop request ({@link ManagedProcess#stop}) or the end of this JVM (Ctrl-C reaches the
 * servers and this JVM at the same moment) is never answered with a restart.
 */
final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  // Ctrl-C signals the children and this JVM at once: give the JVM's shutdown a moment to begin
  // before an exit is taken for a crash.
  private static final Duration SETTLE = Duration.ofMillis(300);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private final ManagedProcess managed;
  private final RestartPolicy policy;
  private final Callable<Boolean> ready;
  private volatile int restarts;
  private volatile boolean gaveUp;
  private volatile int crashesInARow;
  private volatile long startedAt = System.nanoTime();

  Supervisor(ManagedProcess managed, RestartPolicy policy, Callable<Boolean> ready) {
    this.managed = managed;
    this.policy = policy;
    this.ready = ready;
  }

  int restarts() {
    return restarts;
  }

  boolean gaveUp() {
    return gaveUp;
  }

  void watch(Process process) {
    process
        .onExit()
        .thenRun(
            () ->
                Thread.ofPlatform()
                    .daemon()
                    .name("strata-supervisor-" + managed.name())
                    .start(() -> exited(process)));
  }

  private void exited(Process process) {
    sleep(SETTLE);
    if (managed.stopRequested() || shuttingDown()) {
      return;
    }
    if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(policy.stableAfter()) >= 0) {
      crashesInARow = 0;
    }
    crashesInARow++;
    if (crashesInARow > policy.maxRestartsInARow()) {
      gaveUp = true;
      LOG.error(
          "{} exited with {} after {} restarts in a row, each within {} of its start: crash loop,"
              + " not restarting it (see {})",
          managed.name(),
          process.exitValue(),
          policy.maxRestartsInARow(),
          seconds(policy.stableAfter()),
          managed.logFile());
      return;
    }
    Duration backoff = policy.backoff(crashesInARow);
    int restart = restarts + 1;
    LOG.warn(
        "{} exited with {}, restarting in {} (restart {})",
        managed.name(),
        process.exitValue(),
        seconds(backoff),
        restart);
    sleep(backoff);
    if (shuttingDown()) {
      return;
    }
    Optional<Process> next;
    try {
      next = managed.relaunch();
    } catch (IOException | RuntimeException e) {
      LOG.error("{} could not be restarted: {}", managed.name(), e.toString());
      gaveUp = true;
      return;
    }
    if (next.isEmpty()) {
      return;
    }
    restarts = restart;
    startedAt = System.nanoTime();
    watch(next.get());
    awaitReady(next.get(), restart);
  }

  /** Logs when the restarted process passes its health check again (or that it did not). */
  private void awaitReady(Process process, int restart) {
    long t0 = System.nanoTime();
    long deadline = t0 + READY_TIMEOUT.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline && !managed.stopRequested()) {
      try {
        if (Boolean.TRUE.equals(ready.call())) {
          LOG.info(
              "{} is back, ready {} after restart {}",
              managed.name(),
              seconds(Duration.ofNanos(System.nanoTime() - t0)),
              restart);
          return;
        }
      } catch (Exception e) {
        // not ready yet
      }
      sleep(Duration.ofMillis(200));
    }
    if (process.isAlive() && !managed.stopRequested()) {
      LOG.warn("{} restarted but not ready after {}", managed.name(), seconds(READY_TIMEOUT));
    }
  }

  /** True once this JVM runs its shutdown hooks (a hook can no longer be added then). */
  static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** "1 s", "0.3 s", "9.8 s". */
  static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0
        ? millis / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
