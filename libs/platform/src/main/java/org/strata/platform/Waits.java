package org.strata.platform;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a health check until it passes, the server dies, or time runs out. */
final class Waits {
  private Waits() {}

  static <T> T until(ManagedProcess process, Duration timeout, Callable<T> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new PlatformException(
            process.name()
                + " exited during start-up; last lines of "
                + process.logFile()
                + ":\n"
                + process.logTail(30));
      }
      try {
        T result = check.call();
        if (result != null && !Boolean.FALSE.equals(result)) {
          return result;
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException("interrupted while waiting for start-up", e);
      }
    }
    String name = process == null ? "component" : process.name();
    String tail = process == null ? "" : "; last lines of its log:\n" + process.logTail(30);
    throw new PlatformException(
        name
            + " not healthy after "
            + timeout.toSeconds()
            + " s"
            + (last == null ? "" : " (" + last + ")")
            + tail,
        last);
  }
}
