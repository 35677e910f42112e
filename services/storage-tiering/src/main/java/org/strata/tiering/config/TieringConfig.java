package org.strata.tiering.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** {@code strata.tiering.*}: how moves run. Tiers themselves are {@code strata.s3.*} (Tiers). */
@ConfigMapping(prefix = "strata.tiering")
public interface TieringConfig {

  /**
   * How long the source of a move is kept after the index switched to the copy: a read that looked
   * the location up just before the switch still finds its object (longer than any retrieval).
   */
  @WithDefault("PT5M")
  Duration sourceDeleteGrace();

  /**
   * How long the objects of a deleted instance stay before they are removed (an admin delete can
   * still be undone from them by re-ingesting).
   */
  @WithDefault("PT24H")
  Duration deleteGrace();

  Worker worker();

  Policies policies();

  Retention retention();

  /** Retention purges (rules in the policies file). */
  interface Retention {
    /** How long after its expiry a study is purged (time to place a hold or correct a date). */
    @WithDefault("P30D")
    Duration grace();

    /** Computes expiries and plans purges at the policies interval (tests call it). */
    @WithDefault("true")
    boolean scheduled();

    /** How often a purge waiting for index to remove the study's rows looks again. */
    @WithDefault("PT5S")
    Duration indexPoll();
  }

  /** Lifecycle policies (ADR 0032). */
  interface Policies {
    /** The policies file (JSON); none: no policies. */
    java.util.Optional<String> file();

    /** How often the enabled policies are evaluated and their moves planned. */
    @WithDefault("PT1H")
    Duration interval();

    /** How often the policies file is checked for a hand edit (ADR 0064). */
    @WithDefault("PT2S")
    Duration reloadInterval();

    /**
     * Evaluates the enabled policies for a study soon after index committed instances of it ({@code
     * strata.study.updated}), besides the schedule (ADR 0064).
     */
    @WithDefault("true")
    boolean onIndexed();

    /**
     * How long after the first index commit of a study its evaluation waits, gathering the study's
     * further commits into the same evaluation (and leaving ingest time to write derivatives).
     */
    @WithDefault("PT1M")
    Duration indexedDebounce();

    /** The most studies waiting for their evaluation; beyond, the schedule evaluates them. */
    @WithDefault("100000")
    int indexedMaxPending();

    /** Runs the evaluation on its schedule (tests call it). */
    @WithDefault("true")
    boolean scheduled();

    /** The most studies one evaluation plans per policy (the rest at the next one). */
    @WithDefault("1000")
    int maxStudiesPerRun();

    /**
     * The policies are the deployment's (the Helm chart's ConfigMap): the admin API's changes
     * answer 409 and the file is not written (ADR 0054).
     */
    @WithDefault("false")
    boolean readOnly();

    /**
     * The price of one GB-month (2^30 bytes for a month, as S3 bills it) per tier name, for the
     * dry-run's cost estimate; a tier without one is shown without a cost.
     */
    Map<String, String> pricePerGbMonth();

    /** The currency of those prices, as the dry-run shows it. */
    @WithDefault("USD")
    String currency();
  }

  /** The move worker: advances due jobs one journaled step at a time. */
  interface Worker {
    /** Runs the worker in the background (tests drive it step by step instead). */
    @WithDefault("true")
    boolean enabled();

    /** How often the worker looks for due jobs. */
    @WithDefault("PT1S")
    Duration interval();

    /** How often a job waiting for the index to switch looks again. */
    @WithDefault("PT1S")
    Duration indexPoll();

    /** The longest wait before a step that failed (S3 or Kafka unreachable) is tried again. */
    @WithDefault("PT5M")
    Duration maxBackoff();

    /**
     * Test only, unset in production (make chaos's tiering phase sets it): a move state ({@code
     * COPIED}, {@code VERIFIED}, {@code SWITCH_REQUESTED}, {@code SWITCHED}); once a job reaches it
     * the worker stops, so that the service can be killed exactly after that step.
     */
    java.util.Optional<String> pauseAfter();
  }
}
