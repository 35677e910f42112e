package org.strata.testkit.hostile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.strata.testkit.RawHttp;

/**
 * Whether a service survived: its health endpoint says UP, and its heap after a full collection
 * (the service runs in the test's JVM under {@code @QuarkusTest}) stayed within a bound.
 */
public final class Liveness {
  private Liveness() {}

  /**
   * After a run: the service at host:port must be UP and its heap after GC no more than {@code
   * bound} above {@code heapBefore}; each failure is a violation of the report. Prints the heap.
   */
  public static void checkAfterRun(
      String host, int port, long heapBefore, long bound, HostileReport report) {
    if (!up(host, port)) {
      report.violation("the service is not UP after the hostile input");
    }
    long heapAfter = heapAfterGc();
    System.out.printf(
        "heap after GC: %d MiB before, %d MiB after (bound: +%d MiB, max %d MiB)%n",
        heapBefore >> 20, heapAfter >> 20, bound >> 20, maxHeap() >> 20);
    if (heapAfter > heapBefore + bound) {
      report.violation("heap after GC grew from " + heapBefore + " to " + heapAfter + " bytes");
    }
  }

  /** {@code GET /q/health}: 200 with status UP. */
  public static boolean up(String host, int port) {
    try {
      RawHttp.Answer a = RawHttp.request(host, port, "GET", "/q/health", 30_000);
      return a.status() == 200 && a.body().replace(" ", "").contains("\"status\":\"UP\"");
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
