package org.strata.testkit.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the hostile inputs of one run got, per kind of input: how many were sent, accepted (a
 * success), refused (a DIMSE failure status, A-ASSOCIATE-RJ, A-ABORT, a close or a 4xx), hung (no
 * answer within the deadline) or answered 5xx. Hung and 5xx are failures; each is kept with the
 * seed, the kind, the input's index and the input itself, so that it can be replayed.
 */
public final class HostileReport {
  /** How one input was answered. */
  public enum Outcome {
    ACCEPTED,
    REFUSED,
    HUNG,
    SERVER_ERROR
  }

  /** The counts of one kind. */
  public static final class Counts {
    private long sent;
    private long accepted;
    private long refused;
    private long hung;
    private long serverErrors;

    public long sent() {
      return sent;
    }

    public long accepted() {
      return accepted;
    }

    public long refused() {
      return refused;
    }

    public long hung() {
      return hung;
    }

    public long serverErrors() {
      return serverErrors;
    }
  }

  /** One input that failed: enough to send it again. */
  public record Failure(String kind, long seed, int index, Outcome outcome, String input) {
    @Override
    public String toString() {
      return kind
          + " #"
          + index
          + " (seed "
          + seed
          + ", replay: -Dstrata.hostile.seed="
          + seed
          + " -Dstrata.hostile.only="
          + kind
          + ":"
          + index
          + "): "
          + outcome
          + "\n    "
          + input;
    }
  }

  private static final int MAX_FAILURES_KEPT = 50;

  private final long seed;
  private final String service;
  private final Map<String, Counts> counts = new TreeMap<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  public HostileReport(String service, long seed) {
    this.service = service;
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** Counts one input; {@code input} describes it (request line, hex excerpt) for a replay. */
  public synchronized void record(String kind, int index, Outcome outcome, String input) {
    Counts c = counts.computeIfAbsent(kind, k -> new Counts());
    c.sent++;
    switch (outcome) {
      case ACCEPTED -> c.accepted++;
      case REFUSED -> c.refused++;
      case HUNG -> c.hung++;
      case SERVER_ERROR -> c.serverErrors++;
    }
    if ((outcome == Outcome.HUNG || outcome == Outcome.SERVER_ERROR)
        && failures.size() < MAX_FAILURES_KEPT) {
      failures.add(new Failure(kind, seed, index, outcome, input));
    }
  }

  /** A broken invariant found after the inputs (the archive down, data lost or half-stored). */
  public synchronized void violation(String what) {
    violations.add(what);
  }

  public synchronized Map<String, Counts> counts() {
    return Collections.unmodifiableMap(counts);
  }

  public synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  public synchronized long total(java.util.function.ToLongFunction<Counts> which) {
    return counts.values().stream().mapToLong(which).sum();
  }

  /** The table of counts, one line per kind. */
  public synchronized String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "hostile input, %s, seed %d%n%-28s %8s %8s %8s %6s %6s%n",
            service, seed, "kind", "sent", "accepted", "refused", "hung", "5xx"));
    for (Map.Entry<String, Counts> e : counts.entrySet()) {
      Counts c = e.getValue();
      out.append(
          String.format(
              "%-28s %8d %8d %8d %6d %6d%n",
              e.getKey(), c.sent, c.accepted, c.refused, c.hung, c.serverErrors));
    }
    out.append(
        String.format(
            "%-28s %8d %8d %8d %6d %6d%n",
            "total",
            total(Counts::sent),
            total(Counts::accepted),
            total(Counts::refused),
            total(Counts::hung),
            total(Counts::serverErrors)));
    return out.toString();
  }

  /** Throws with the table, every kept failure and every violation unless there are none. */
  public synchronized void assertPassed() {
    long bad = total(Counts::hung) + total(Counts::serverErrors);
    if (bad == 0 && violations.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder(table());
    for (Failure f : failures) {
      message.append(f).append('\n');
    }
    if (bad > failures.size()) {
      message.append("... and ").append(bad - failures.size()).append(" more\n");
    }
    for (String v : violations) {
      message.append("violation: ").append(v).append('\n');
    }
    throw new AssertionError(message.toString());
  }

  /** A bounded hex excerpt of an input, with its length, for a failure message. */
  public static String excerpt(byte[] input) {
    int shown = Math.min(input.length, 256);
    return input.length
        + " bytes: "
        + HexFormat.of().formatHex(input, 0, shown)
        + (shown < input.length ? "..." : "");
  }
}
