package org.strata.routing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.strata.events.RoutingJob;

/**
 * The status of recent jobs, by job id, as this instance of routing saw them (in memory: the queue
 * topics are the record; a restart starts an empty board and fills it as jobs come back). Bounded:
 * the oldest finished entries go first.
 */
public final class JobBoard {
  static final int CAPACITY = 20_000;

  /** One job's status. {@code last} is its latest record (what a retry republishes). */
  public record Entry(
      String jobId,
      String destination,
      RoutingJob.Priority priority,
      String ruleId,
      String tenant,
      String studyInstanceUid,
      JobState state,
      int total,
      int sent,
      int attempts,
      String lastReason,
      Instant updatedAt,
      RoutingJob last) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, false);

  /** Records {@code job} (its latest record) in {@code state}. */
  public synchronized Entry put(RoutingJob job, JobState state, int sentSoFar, String reason) {
    Entry e =
        new Entry(
            job.jobId(),
            job.destination(),
            job.priority(),
            job.ruleId(),
            job.tenant(),
            job.studyInstanceUid(),
            state,
            sentSoFar + job.instances().size(),
            sentSoFar,
            job.attempt(),
            reason,
            Instant.now(),
            job);
    entries.remove(job.jobId());
    entries.put(job.jobId(), e);
    while (entries.size() > CAPACITY) {
      String oldest = entries.keySet().iterator().next();
      entries.remove(oldest);
    }
    return e;
  }

  /** Sets the state of a known job, keeping the rest. */
  public synchronized void mark(
      String jobId, JobState state, int sent, int attempts, String reason) {
    Entry e = entries.get(jobId);
    if (e != null) {
      entries.put(
          jobId,
          new Entry(
              e.jobId(),
              e.destination(),
              e.priority(),
              e.ruleId(),
              e.tenant(),
              e.studyInstanceUid(),
              state,
              e.total(),
              sent,
              attempts,
              reason,
              Instant.now(),
              e.last()));
    }
  }

  public synchronized Optional<Entry> get(String jobId) {
    return Optional.ofNullable(entries.get(jobId));
  }

  /** Newest first, filtered by destination and state (null: any), at most {@code limit}. */
  public synchronized List<Entry> list(String destination, JobState state, int limit) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if ((destination == null || destination.equals(e.destination()))
          && (state == null || state == e.state())) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparing(Entry::updatedAt).reversed());
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** Jobs per state of one destination. */
  public synchronized Map<JobState, Integer> counts(String destination) {
    Map<JobState, Integer> counts = new java.util.EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) {
      counts.put(s, 0);
    }
    for (Entry e : entries.values()) {
      if (e.destination().equals(destination)) {
        counts.merge(e.state(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
