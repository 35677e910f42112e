package org.strata.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void ticksAreUserSystemAndWaitedChildrenCountedAfterTheCommandName() {
    // A command name with a space and a ')' of its own; utime 1200, stime 300, cutime 40, cstime 5.
    String stat =
        "4242 (java (kafka) x) S 1 4242 4242 0 -1 4194560 91234 0 12 0 1200 300 40 5 20 0 57 0"
            + " 123456 4096000000 65000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1"
            + " 0 0 0 0 0";
    assertEquals(1545, ProcessCpu.ticks(stat));
  }

  @Test
  void perThousandIsTheDifferenceScaledToAThousandInstances() {
    assertEquals(2.5, ProcessCpu.perThousand(5.0, 2000), 1e-9);
    assertEquals(0, ProcessCpu.perThousand(5.0, 0), 1e-9);
    Map<String, Double> before = new LinkedHashMap<>();
    before.put("ingest", 10.0);
    before.put("s3proxy", 1.0);
    Map<String, Double> after = new LinkedHashMap<>();
    after.put("ingest", 13.0);
    after.put("s3proxy", 1.5);
    after.put("orthanc", 9.0); // not in the first sample: left out
    assertEquals("ingest 6.0, s3proxy 1.0", ProcessCpu.perThousand(before, after, 500));
  }

  @Test
  void thisJvmSpendsCpuSecondsThatGrow() {
    ProcessCpu cpu = new ProcessCpu().add("bench", () -> Optional.of(ProcessHandle.current()));
    double before = cpu.sample().get("bench");
    double after = before;
    long x = 0;
    // Busy until the kernel has charged a tick or more, with a generous ceiling (a loaded machine).
    for (long end = System.nanoTime() + 60_000_000_000L;
        after <= before && System.nanoTime() < end; ) {
      for (int i = 0; i < 1_000_000; i++) {
        x += Long.numberOfTrailingZeros(x + i);
      }
      after = cpu.sample().get("bench");
    }
    assertTrue(after > before, "CPU seconds grew: " + before + " -> " + after + " (" + x + ")");
  }
}
