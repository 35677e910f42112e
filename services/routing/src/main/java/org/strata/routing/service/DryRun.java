package org.strata.routing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.strata.routing.repository.IndexedInstanceAttributes;
import org.strata.routing.service.RuleBook.CompiledRule;

/**
 * What the rules in force would do with recently stored instances, without sending anything: per
 * study, which rules match (enabled or not), how many of its instances, and where they would go. A
 * study asked for that is not among the recent instances (stored before the start, or before the
 * newest {@link RecentInstances#CAPACITY}) is read from the index.
 */
@ApplicationScoped
public class DryRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RoutingRules rules;
  private final RecentInstances recent;
  private final IndexedInstanceAttributes index;

  DryRun(RoutingRules rules, RecentInstances recent, IndexedInstanceAttributes index) {
    this.rules = rules;
    this.recent = recent;
    this.index = index;
  }

  /** Where the evaluated instances came from. */
  public enum Source {
    /** the instances routing evaluated since it started (with their calling AE and channel) */
    RECENT,
    /** the index (calling AE and channel empty: the index does not keep them) */
    INDEX
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

  /**
   * The answer: how many instances were evaluated, where they came from, and their studies (newest
   * first).
   */
  public record Result(int evaluated, Source source, List<Study> studies) {}

  /**
   * Evaluates the newest {@code last} instances (of {@code study} only, unless null) of the tenants
   * {@code among} (every tenant when null) against every rule for which {@code which} holds. A
   * study none of those recent instances belongs to is read from the index, at most {@code last} of
   * its instances, in the same tenants.
   *
   * @throws SQLException when the index could not be read
   */
  public Result run(int last, String study, Predicate<String> which, Collection<String> among)
      throws SQLException {
    List<RecentInstances.Seen> seen = recent.newest(last, study, among);
    Source source = Source.RECENT;
    if (seen.isEmpty() && study != null) {
      seen = fromIndex(study, among, last);
      source = Source.INDEX;
    }
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
    return new Result(seen.size(), source, studies);
  }

  private List<RecentInstances.Seen> fromIndex(String study, Collection<String> tenants, int last)
      throws SQLException {
    List<RecentInstances.Seen> seen = new ArrayList<>();
    for (IndexedInstanceAttributes.Row row : index.ofStudy(study, tenants, last)) {
      JsonNode attributes;
      try {
        attributes = row.attributesJson() == null ? null : JSON.readTree(row.attributesJson());
      } catch (JsonProcessingException e) {
        attributes = null; // the index's JSON unreadable: the rule sees no attributes
      }
      seen.add(
          new RecentInstances.Seen(
              row.tenant(),
              study,
              row.sopInstanceUid(),
              null,
              InstanceFacts.indexed(row.tenant(), row.modality(), row.sopClassUid(), attributes)));
    }
    return seen;
  }
}
