package org.strata.routing.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.events.InstanceStored;
import org.strata.events.RoutingJob;
import org.strata.routing.service.RulesDocument.Rule;

/**
 * The study trigger: the matching instances of a study are gathered per rule until none has come
 * for the rule's quiet period; then the study is due. Each gathered instance holds its Kafka record
 * (its offset is not committed) until the study's jobs are on the queue, so a restart gathers the
 * study again instead of losing it. Not thread-safe: used under the caller's lock.
 */
final class StudyQuietTimer {

  /** A study gathering for one rule. */
  static final class Gathering {
    final Rule rule;
    final String tenant;
    final String studyUid;
    final Map<String, RoutingJob.Instance> instances = new LinkedHashMap<>();
    final List<Runnable> releases = new ArrayList<>();
    final JobFactory.Origin origin;
    Instant lastSeen;

    Gathering(Rule rule, String tenant, String studyUid, JobFactory.Origin origin) {
      this.rule = rule;
      this.tenant = tenant;
      this.studyUid = studyUid;
      this.origin = origin;
    }
  }

  private final Map<String, Gathering> gathering = new HashMap<>();

  void add(Rule rule, InstanceStored event, Runnable release, Instant now) {
    String key = rule.id() + "\n" + event.tenant() + "\n" + event.studyInstanceUid();
    Gathering g =
        gathering.computeIfAbsent(
            key,
            k ->
                new Gathering(
                    rule, event.tenant(), event.studyInstanceUid(), JobFactory.Origin.of(event)));
    // a newer version of an instance replaces the older one: one send per SOP instance
    g.instances.put(event.sopInstanceUid(), JobFactory.instanceOf(event));
    g.releases.add(release);
    g.lastSeen = now;
  }

  /** Removes and returns the studies quiet for their rule's period at {@code now}. */
  List<Gathering> due(Instant now) {
    List<Gathering> out = new ArrayList<>();
    gathering
        .entrySet()
        .removeIf(
            e -> {
              Duration quiet = e.getValue().rule.quietPeriodOrDefault();
              if (!e.getValue().lastSeen.plus(quiet).isAfter(now)) {
                out.add(e.getValue());
                return true;
              }
              return false;
            });
    return out;
  }

  /** Puts back a study whose jobs could not be queued, to try again. */
  void restore(Gathering g) {
    gathering.put(g.rule.id() + "\n" + g.tenant + "\n" + g.studyUid, g);
  }

  int size() {
    return gathering.size();
  }
}
