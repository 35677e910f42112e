package org.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CPU seconds spent by each named process of a benchmark (a Strata service, s3proxy, Kafka,
 * PostgreSQL, Orthanc, the load client), read from {@code /proc/<pid>/stat} before and after a
 * measured phase: targets.md reports what every process spends per 1,000 instances, since on the
 * shared 2-core machine a throughput alone says little.
 *
 * <p>A process counts with its descendants (PostgreSQL's backends, the {@code storescu} processes
 * the load client starts), except those under another named process: the bench JVM is the parent of
 * the platform's servers, which are counted under their own names.
 */
public final class ProcessCpu {
  // USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux Strata runs on.
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private final Map<String, Supplier<Optional<ProcessHandle>>> processes = new LinkedHashMap<>();

  /** Adds a process looked up at each sample (it may be restarted between phases). */
  public ProcessCpu add(String name, Supplier<Optional<ProcessHandle>> process) {
    processes.put(name, process);
    return this;
  }

  /** CPU seconds (user + system, of exited and waited-for children too) of each process so far. */
  public Map<String, Double> sample() {
    Map<String, ProcessHandle> roots = new LinkedHashMap<>();
    processes.forEach((name, lookup) -> lookup.get().ifPresent(h -> roots.put(name, h)));
    Set<Long> rootPids = new HashSet<>();
    roots.values().forEach(h -> rootPids.add(h.pid()));
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (Map.Entry<String, ProcessHandle> e : roots.entrySet()) {
      long ticks = ticks(e.getValue().pid());
      for (ProcessHandle child : children(e.getValue(), rootPids)) {
        ticks += ticks(child.pid());
      }
      seconds.put(e.getKey(), ticks / (double) TICKS_PER_SECOND);
    }
    return seconds;
  }

  /** The descendants of {@code root}, without the subtrees of other named processes. */
  private static List<ProcessHandle> children(ProcessHandle root, Set<Long> rootPids) {
    List<ProcessHandle> out = new java.util.ArrayList<>();
    for (ProcessHandle child : root.children().toList()) {
      if (!rootPids.contains(child.pid())) {
        out.add(child);
        out.addAll(children(child, rootPids));
      }
    }
    return out;
  }

  private static long ticks(long pid) {
    try {
      return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0; // the process ended between listing and reading: its time went to its parent
    }
  }

  /**
   * utime + stime + cutime + cstime (fields 14-17, proc(5)) of a {@code /proc/<pid>/stat} line, in
   * clock ticks. The command name (field 2) is in parentheses and may hold spaces and parentheses,
   * so fields are counted from the last ')'.
   */
  static long ticks(String statLine) {
    String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state): field n is f[n - 3].
    return Long.parseLong(f[11])
        + Long.parseLong(f[12])
        + Long.parseLong(f[13])
        + Long.parseLong(f[14]);
  }

  /**
   * "name s, name s, ..." : CPU seconds per 1,000 instances of each process between two samples
   * (processes missing from either sample are left out).
   */
  public static String perThousand(
      Map<String, Double> before, Map<String, Double> after, long instances) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Double> e : after.entrySet()) {
      Double start = before.get(e.getKey());
      if (start == null) {
        continue;
      }
      out.append(out.isEmpty() ? "" : ", ")
          .append("%s %.1f".formatted(e.getKey(), perThousand(e.getValue() - start, instances)));
    }
    return out.toString();
  }

  /** CPU seconds per 1,000 instances. */
  static double perThousand(double cpuSeconds, long instances) {
    return instances == 0 ? 0 : cpuSeconds * 1000 / instances;
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
