package org.strata.testkit.hostile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;

/**
 * Whether a service survived: its health endpoint says UP, and its heap after a full collection
 * (the service runs in the test's JVM under {@code @QuarkusTest}) stayed within a bound.
 */
public final class Liveness {
  private Liveness() {}

  /** {@code GET /q/health}: 200 with status UP. */
  public static boolean up(String host, int port) {
    try {
      RawHttp.Answer a = RawHttp.request(host, port, "GET", "/q/health", 30_000);
      return a.status() == 200
          && new String(a.body(), StandardCharsets.UTF_8)
              .replace(" ", "")
              .contains("\"status\":\"UP\"");
    } catch (IOException e) {
      return false;
    }
  }

  /** Heap in use after full collections (several: one may leave floating garbage). */
  public static long heapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      used = Math.min(used, heap.getUsed());
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return used;
  }

  public static long maxHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }
}
