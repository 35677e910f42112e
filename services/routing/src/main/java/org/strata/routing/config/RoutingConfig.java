package org.strata.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code strata.routing.*}: the rules file, the queues' retry policy and the SCU's identity. */
@ConfigMapping(prefix = "strata.routing")
public interface RoutingConfig {

  /** The rules file (YAML: destinations and rules); created by the admin API when missing. */
  String rulesFile();

  /**
   * The rules file is managed by the deployment (a Kubernetes ConfigMap, read-only and the same for
   * every replica): the admin API refuses changes (409) instead of writing a file only its own
   * replica would read. The file is still re-read when it changes.
   */
  @WithDefault("false")
  boolean rulesReadOnly();

  /** How often the rules file is checked for changes (modification time and size). */
  @WithDefault("PT2S")
  Duration rulesReloadInterval();

  /** The known-AE file DIMSE destinations are looked up in (re-read when it changes). */
  Optional<String> knownAesFile();

  /** The calling AE title of routing's C-STORE SCU. */
  @WithDefault("STRATA-ROUTER")
  String callingAeTitle();

  /** Attempts of a job before it goes to the dead-letter topic with its last reason. */
  @WithDefault("8")
  int maxAttempts();

  /** Backoff before the second attempt; doubled per attempt up to {@link #backoffMax()}. */
  @WithDefault("PT5S")
  Duration backoffInitial();

  /** Longest backoff between two attempts. */
  @WithDefault("PT10M")
  Duration backoffMax();

  /** Consecutive failed attempts of a destination that open its circuit breaker. */
  @WithDefault("5")
  int breakerThreshold();

  /** How long an open breaker holds a destination's jobs before one trial attempt. */
  @WithDefault("PT30S")
  Duration breakerOpenFor();

  /**
   * Jobs a destination holds in memory (waiting, backing off, in flight) before routing stops
   * reading its ROUTINE queue; STAT jobs are always read.
   */
  @WithDefault("1000")
  int maxQueuedJobsPerDestination();

  /** Instances per job at most: a larger study is split into several jobs. */
  @WithDefault("500")
  int maxInstancesPerJob();

  /** Kafka consumer group of the rule evaluation (reads strata.instance.stored). */
  @WithDefault("strata-routing")
  String rulesGroup();

  /** Kafka consumer group of the queues (reads strata.routing.jobs.*). */
  @WithDefault("strata-routing-queue")
  String queueGroup();

  /** Timeouts of a STOW-RS request to a destination. */
  @WithDefault("PT60S")
  Duration stowTimeout();

  /**
   * Port of routing's own DICOM listener (AE title {@link #callingAeTitle()}) where destinations
   * with {@code commit: true} send their Storage Commitment reports (N-EVENT-REPORT on an
   * association they open, PS3.4 J.3.3). Absent: no listener, and such destinations fail.
   */
  Optional<Integer> commitmentPort();

  /** Interface routing's Storage Commitment listener binds to. */
  @WithDefault("0.0.0.0")
  String commitmentHost();

  /** How long an attempt waits for a destination's Storage Commitment report. */
  @WithDefault("PT5M")
  Duration commitmentTimeout();

  /** Finished jobs' rows (SENT, DEAD, CANCELLED) are deleted once unchanged for this long. */
  @WithDefault("P30D")
  Duration jobRetention();

  /** How often finished jobs' rows are purged. */
  @WithDefault("PT1H")
  Duration jobPurgeInterval();

  /**
   * Instances a running attempt sends between two writes of its progress (ADR 0062): at most this
   * many less one are sent twice after a crash.
   */
  @WithDefault("10")
  int progressBatch();

  /** The progress of a running attempt is also written once this long passed since the last. */
  @WithDefault("PT1S")
  Duration progressInterval();

  /**
   * An enabled rule with no match for this long (counted from when routing first saw it) is listed
   * in the never-matched report.
   */
  @WithDefault("P7D")
  Duration neverMatchedAfter();

  /** How often the rule matches counted in memory are added to {@code routing.rule_match}. */
  @WithDefault("PT5S")
  Duration ruleMatchesFlushInterval();
}
