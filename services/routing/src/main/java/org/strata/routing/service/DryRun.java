package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.strata.routing.service.RuleBook.CompiledRule;

/**
 * What the rules in force would do with recently stored instances, without sending anything: per
 * study, which rules match (enabled or not), how many of its instances, and where they would go.
 */
@ApplicationScoped
public class DryRun {
  private final RoutingRules rules;
  private final RecentInstances recent;

  DryRun(RoutingRules rules, RecentInstances recent) {
    this.rules = rules;
    this.recent = recent;
  }

  /** A rule that would fire for a study. */
  public record Match(
      String rule,
      boolean enabled,
      String destination,
      String trigger,
      String priority,
      int instances) {}

  /** A study among the evaluated instances and the rules that would fire for it. */
  public record Study(String tenant, String studyInstanceUid, int instances, List<Match> matches) {}

  /** The answer: how many instances were evaluated, and their studies (newest first). */
  public record Result(int evaluated, List<Study> studies) {}

  /**
   * Evaluates the newest {@code last} instances (of {@code study} only, unless null) against every
   * rule for which {@code which} holds.
   */
  public Result run(int last, String study, Predicate<String> which) {
    List<RecentInstances.Seen> seen = recent.newest(last, study);
    List<CompiledRule> candidates =
        rules.book().rules().stream().filter(r -> which.test(r.rule().id())).toList();
    Map<String, int[]> instancesPerStudy = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> matchesPerStudy = new LinkedHashMap<>();
    Map<String, String> tenants = new LinkedHashMap<>();
    for (RecentInstances.Seen s : seen) {
      String key = s.tenant() + "\n" + s.studyInstanceUid();
      tenants.put(key, s.tenant());
      instancesPerStudy.computeIfAbsent(key, k -> new int[1])[0]++;
      Map<String, Integer> matches =
          matchesPerStudy.computeIfAbsent(key, k -> new LinkedHashMap<>());
      for (CompiledRule r : candidates) {
        if (r.predicate().test(s.facts())) {
          matches.merge(r.rule().id(), 1, Integer::sum);
        }
      }
    }
    List<Study> studies = new ArrayList<>();
    for (var e : instancesPerStudy.entrySet()) {
      List<Match> matches = new ArrayList<>();
      for (CompiledRule r : candidates) {
        Integer n = matchesPerStudy.get(e.getKey()).get(r.rule().id());
        if (n != null) {
          matches.add(
              new Match(
                  r.rule().id(),
                  r.rule().isEnabled(),
                  r.rule().destination(),
                  r.rule().triggerOrDefault().name(),
                  r.rule().priorityOrDefault().name(),
                  n));
        }
      }
      String key = e.getKey();
      studies.add(
          new Study(
              tenants.get(key), key.substring(key.indexOf('\n') + 1), e.getValue()[0], matches));
    }
    return new Result(seen.size(), studies);
  }
}
