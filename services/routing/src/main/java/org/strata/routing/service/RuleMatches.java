package org.strata.routing.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each rule matched a stored instance since routing started, so a rule that never fires
 * is reported instead of silently doing nothing (dcm4chee users find theirs only when a study is
 * missing). Also counted as {@code strata_routing_rule_matches_total{rule}}.
 */
@ApplicationScoped
public class RuleMatches {
  private final Instant since = Instant.now();
  private final Map<String, Count> counts = new ConcurrentHashMap<>();
  private final MeterRegistry metrics;

  RuleMatches(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** One rule's matches since start. */
  public record Count(long matches, Instant lastMatchAt) {}

  /** A rule's figures in the report. */
  public record RuleFigures(String id, boolean enabled, long matches, Instant lastMatchAt) {}

  /** The report: every rule in force, and the enabled ones that never matched. */
  public record Report(Instant since, List<RuleFigures> rules, List<String> neverMatched) {}

  void matched(String ruleId, Instant at) {
    counts.merge(ruleId, new Count(1, at), (a, b) -> new Count(a.matches() + 1, b.lastMatchAt()));
    metrics.counter("strata_routing_rule_matches", "rule", ruleId).increment();
  }

  public Report report(RuleBook book) {
    List<RuleFigures> rules =
        book.rules().stream()
            .map(
                r -> {
                  Count c = counts.getOrDefault(r.rule().id(), new Count(0, null));
                  return new RuleFigures(
                      r.rule().id(), r.rule().isEnabled(), c.matches(), c.lastMatchAt());
                })
            .toList();
    List<String> never =
        rules.stream().filter(r -> r.enabled() && r.matches() == 0).map(RuleFigures::id).toList();
    return new Report(since, rules, never);
  }
}
