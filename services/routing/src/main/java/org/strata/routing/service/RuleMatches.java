package org.strata.routing.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.repository.RuleMatchTable;
import org.strata.routing.repository.RuleMatchTable.Added;
import org.strata.routing.repository.RuleMatchTable.Row;

/**
 * How often each rule matched a stored instance, so a rule that never fires is reported instead of
 * silently doing nothing (dcm4chee users find theirs only when a study is missing). Matches are
 * counted in memory and added to {@code routing.rule_match} every {@code
 * rule-matches-flush-interval}, at shutdown and before each report (one batched statement, not a
 * write per instance), so the report covers {@code never-matched-after} (a week) across restarts. A
 * flush that fails keeps its counts for the next one; a kill -9 loses at most one interval's
 * counts. Also counted as {@code strata_routing_rule_matches_total{rule}}.
 */
@ApplicationScoped
public class RuleMatches {
  private static final Logger LOG = Logger.getLogger(RuleMatches.class);

  private final RuleMatchTable table;
  private final MeterRegistry metrics;
  private final Duration neverMatchedAfter;
  private final Duration flushInterval;
  private final Supplier<RuleBook> rulesInForce;
  private final Map<String, Added> pending = new HashMap<>();
  // one flush at a time: a report's flush must not read the table before the timer's has written
  private final Object flushing = new Object();
  private ScheduledExecutorService timer;

  @Inject
  RuleMatches(
      RuleMatchTable table, MeterRegistry metrics, RoutingConfig config, RoutingRules rules) {
    this(
        table, metrics, config.neverMatchedAfter(), config.ruleMatchesFlushInterval(), rules::book);
  }

  /** For a second reader of the same table (tests: the report after a restart). */
  public RuleMatches(
      RuleMatchTable table,
      MeterRegistry metrics,
      Duration neverMatchedAfter,
      Duration flushInterval,
      Supplier<RuleBook> rulesInForce) {
    this.table = table;
    this.metrics = metrics;
    this.neverMatchedAfter = neverMatchedAfter;
    this.flushInterval = flushInterval;
    this.rulesInForce = rulesInForce;
  }

  /**
   * A rule's figures in the report: matches since it was first seen (every replica's), the last
   * one, and when routing first had the rule in force.
   */
  public record RuleFigures(
      String id, boolean enabled, long matches, Instant lastMatchAt, Instant firstSeen) {}

  /**
   * The report: every rule in force, and the enabled ones in force since before {@code since} (now
   * less {@code neverMatchedAfter}) that matched nothing since then.
   */
  public record Report(
      Instant since,
      Duration neverMatchedAfter,
      List<RuleFigures> rules,
      List<String> neverMatched) {}

  /** The figures could not be read or written. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(SQLException cause) {
      super("rule matches unavailable: " + cause.getSQLState(), cause);
    }
  }

  void start(@Observes StartupEvent event) {
    timer = DaemonTimer.every("routing-rule-matches", flushInterval, this::flushQuietly);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
    flushQuietly();
  }

  synchronized void matched(String ruleId, Instant at) {
    pending.merge(ruleId, new Added(1, at), RuleMatches::plus);
    metrics.counter("strata_routing_rule_matches", "rule", ruleId).increment();
  }

  private static Added plus(Added a, Added b) {
    Instant last = a.lastMatchAt().isAfter(b.lastMatchAt()) ? a.lastMatchAt() : b.lastMatchAt();
    return new Added(a.matches() + b.matches(), last);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (SQLException e) {
      LOG.warnf("rule matches not written (kept for the next try): %s", e.getSQLState());
    }
  }

  /**
   * Records the rules in force not seen before (first seen now), and adds the counted matches; on
   * failure the counts are kept for the next flush.
   */
  void flush() throws SQLException {
    synchronized (flushing) {
      Map<String, Added> batch;
      synchronized (this) {
        batch = new HashMap<>(pending);
        pending.clear();
      }
      try {
        table.seen(rulesInForce.get().rules().stream().map(r -> r.rule().id()).toList());
        table.add(batch);
      } catch (SQLException | RuntimeException e) {
        synchronized (this) {
          batch.forEach((id, added) -> pending.merge(id, added, RuleMatches::plus));
        }
        throw e;
      }
    }
  }

  /** The report on the rules in force, from the table (after adding what is counted in memory). */
  public Report report() {
    Map<String, Row> rows;
    try {
      synchronized (flushing) {
        flush();
        rows = table.all();
      }
    } catch (SQLException e) {
      throw new Unavailable(e);
    }
    Instant since = Instant.now().minus(neverMatchedAfter);
    List<RuleFigures> figures =
        rulesInForce.get().rules().stream()
            .map(
                r -> {
                  Row row = rows.get(r.rule().id());
                  return row == null
                      ? new RuleFigures(r.rule().id(), r.rule().isEnabled(), 0, null, null)
                      : new RuleFigures(
                          r.rule().id(),
                          r.rule().isEnabled(),
                          row.matches(),
                          row.lastMatchAt(),
                          row.firstSeen());
                })
            .toList();
    List<String> never =
        figures.stream()
            .filter(
                f ->
                    f.enabled()
                        && f.firstSeen() != null
                        && !f.firstSeen().isAfter(since)
                        && (f.lastMatchAt() == null || f.lastMatchAt().isBefore(since)))
            .map(RuleFigures::id)
            .toList();
    return new Report(since, neverMatchedAfter, figures, never);
  }
}
