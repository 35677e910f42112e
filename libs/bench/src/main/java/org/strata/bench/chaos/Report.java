package org.strata.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The kill suite's verdict per victim, as the Markdown table of docs/reliability.md. */
final class Report {
  private final List<KillSuite.PhaseResult> phases;
  private final List<Ledger.Entry> entries;
  private final Map<Ledger.Entry, Verifier.Seen> seen;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Counts> counts = new java.util.LinkedHashMap<>();

  Report(
      List<KillSuite.PhaseResult> phases,
      List<Ledger.Entry> entries,
      Map<Ledger.Entry, Verifier.Seen> seen) {
    this.phases = phases;
    this.entries = entries;
    this.seen = seen;
    List<String> names = new ArrayList<>(List.of("warm-up"));
    phases.forEach(p -> names.add(p.victim()));
    names.add("after");
    for (String name : names) {
      counts.put(name, count(name));
    }
  }

  /** Counts of one phase's ledger entries by what the archive shows for them. */
  private record Counts(
      int stowAcked,
      int cstoreAcked,
      int refused,
      int refusedBeforeConnecting,
      int refusedButStored,
      int lost,
      int duplicated,
      int halfVisible,
      double slowestAnswer) {}

  private Counts count(String phase) {
    int stowAcked = 0, cstoreAcked = 0, refused = 0, unreached = 0, refusedStored = 0;
    int lost = 0, duplicated = 0, half = 0;
    double slowest = 0;
    for (Ledger.Entry e : entries) {
      if (!e.phase().equals(phase)) {
        continue;
      }
      Verifier.Seen s = seen.get(e);
      slowest = Math.max(slowest, e.seconds());
      if (s.duplicated()) {
        duplicated++;
        problems.add("duplicated: " + describe(e, s));
      }
      if (e.outcome() == Ledger.Outcome.ACKNOWLEDGED) {
        if (e.channel().equals("STOW-RS")) {
          stowAcked++;
        } else {
          cstoreAcked++;
        }
        if (!s.fullyStored() && !s.duplicated()) {
          lost++;
          problems.add("lost: " + describe(e, s));
        }
      } else {
        refused++;
        if (e.detail().startsWith("connect")) {
          unreached++;
        }
        if (s.fullyStored()) {
          refusedStored++;
        } else if (!s.absent() && !s.duplicated()) {
          half++;
          problems.add("half-visible: " + describe(e, s));
        }
      }
    }
    return new Counts(
        stowAcked, cstoreAcked, refused, unreached, refusedStored, lost, duplicated, half, slowest);
  }

  private static String describe(Ledger.Entry e, Verifier.Seen s) {
    return e.phase()
        + " "
        + e.channel()
        + " "
        + e.outcome()
        + " ("
        + e.detail()
        + ") "
        + e.sop()
        + " -> "
        + s;
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        "| victim (kill -9) | back after | acknowledged (STOW-RS + C-STORE) | refused (before"
            + " connecting) | refused but stored | lost | duplicated | half-visible | slowest"
            + " answer | first ack of a request sent after the kill | QIDO reads ok / failed |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, Counts> row : counts.entrySet()) {
      String name = row.getKey();
      Counts c = row.getValue();
      KillSuite.PhaseResult p =
          phases.stream().filter(r -> r.victim().equals(name)).findFirst().orElse(null);
      b.append(
          String.format(
              "| %s | %s | %d (%d + %d) | %d (%d) | %d | %d | %d | %d | %.1f s | %s | %s |%n",
              name,
              p == null ? "" : String.format("%.1f s", p.backAfterSeconds()),
              c.stowAcked() + c.cstoreAcked(),
              c.stowAcked(),
              c.cstoreAcked(),
              c.refused(),
              c.refusedBeforeConnecting(),
              c.refusedButStored(),
              c.lost(),
              c.duplicated(),
              c.halfVisible(),
              c.slowestAnswer(),
              p == null ? "" : String.format("%.1f s", p.firstAckAfterKillSeconds()),
              p == null ? "" : p.qidoOk() + " / " + p.qidoFailed()));
    }
    return b.toString();
  }

  String restarts() {
    StringBuilder b = new StringBuilder();
    for (KillSuite.PhaseResult p : phases) {
      b.append(
          String.format(
              "%s: pid %d killed, %d restart(s) by the supervisor%n",
              p.victim(), p.pid(), p.restarts()));
    }
    problems.stream().limit(50).forEach(line -> b.append(line).append('\n'));
    return b.toString();
  }

  /** Lost, duplicated and half-visible instances: each one is a failure of the suite. */
  int failures() {
    return problems.size();
  }
}
