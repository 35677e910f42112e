package org.strata.tiering.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.strata.tiering.config.TieringConfig;

/**
 * Evaluation of the enabled lifecycle policies on events (ADR 0064): a study index has committed
 * instances of is evaluated after the debounce, as the schedule would evaluate it, so a policy that
 * applies at ingest (since ingest, older than P0D; a SOP class, a size) moves a new study without
 * waiting for the schedule. Pending studies live in memory: a restart loses them, and the schedule
 * evaluates them at its next run.
 */
@ApplicationScoped
public class IndexedStudyEvaluation {
  private static final Logger LOG = Logger.getLogger(IndexedStudyEvaluation.class);

  private final PolicyEvaluator evaluator;
  private final TieringConfig.Policies config;
  private final StudyDebounce debounce;
  private volatile boolean warnedFull;
  private ScheduledExecutorService executor;

  public IndexedStudyEvaluation(PolicyEvaluator evaluator, TieringConfig config) {
    this.evaluator = evaluator;
    this.config = config.policies();
    this.debounce =
        new StudyDebounce(this.config.indexedDebounce(), this.config.indexedMaxPending());
  }

  void start(@Observes StartupEvent event) {
    if (!config.onIndexed()) {
      return;
    }
    // Looks for due studies a few times per debounce (at most every 5 s, at least every 100 ms).
    long every = Math.clamp(config.indexedDebounce().toMillis() / 4, 100, 5000);
    Duration interval = Duration.ofMillis(every);
    executor =
        Periodic.start(
            "strata-tiering-indexed-studies",
            interval,
            interval,
            "policy evaluation of indexed studies",
            this::evaluateDue);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Index committed instances of this study (its StudyUpdated): evaluated after the debounce. */
  public void indexed(String tenant, String studyUid) {
    if (!config.onIndexed()) {
      return;
    }
    if (!debounce.offer(new StudyDebounce.Study(tenant, studyUid), Instant.now()) && !warnedFull) {
      warnedFull = true;
      LOG.warnf(
          "%d studies wait for their policy evaluation: more are left to the schedule",
          debounce.pending());
    }
  }

  /** Evaluates the studies due; one that fails waits again (the database may be back by then). */
  void evaluateDue() {
    for (StudyDebounce.Study s : debounce.takeDue(Instant.now())) {
      try {
        evaluator.applyToStudy(s.tenant(), s.studyUid());
      } catch (Exception e) {
        debounce.offer(s, Instant.now());
        LOG.warnf("policy evaluation of an indexed study failed (%s); again later", e.toString());
      }
    }
    if (debounce.pending() == 0) {
      warnedFull = false;
    }
  }
}
