package org.strata.dicom.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces {@link AssociationConfig#writeTimeout()}: java.net sockets have no write timeout, so a
 * peer that stops reading would pin the writing thread once the TCP buffers are full. One daemon
 * thread for the whole JVM looks at the associations that are inside a socket write and closes the
 * socket of any that has been there too long, which makes the blocked write fail.
 */
final class WriteWatchdog {
  private static final long PERIOD_NANOS = 200_000_000L;
  private static final Set<Association> WATCHED = ConcurrentHashMap.newKeySet();
  private static volatile Thread thread;

  private WriteWatchdog() {}

  static void watch(Association as) {
    WATCHED.add(as);
    if (thread == null) {
      start();
    }
  }

  static void unwatch(Association as) {
    WATCHED.remove(as);
  }

  private static synchronized void start() {
    if (thread == null) {
      thread =
          Thread.ofPlatform()
              .daemon(true)
              .name("dimse-write-watchdog")
              .start(
                  () -> {
                    while (true) {
                      LockSupport.parkNanos(PERIOD_NANOS);
                      long now = System.nanoTime();
                      for (Association as : WATCHED) {
                        as.checkWriteTimeout(now);
                      }
                    }
                  });
    }
  }
}
