package org.strata.tiering.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.strata.tiering.config.TieringConfig;
import org.strata.tiering.repository.MoveJobRepository;
import org.strata.tiering.repository.MoveJobRepository.Transition;

/**
 * Advances due moves one journaled step at a time, and runs due deletions, on one background
 * thread. It keeps nothing in memory: after a restart (kill -9 included) it resumes every
 * unfinished job from the state the journal holds.
 */
@ApplicationScoped
public class MoveWorker {
  private static final Logger LOG = Logger.getLogger(MoveWorker.class);

  private final MoveJobRepository jobs;
  private final MoveSteps steps;
  private final TieringConfig config;
  private final ObjectDeletion deletions;
  private final RetentionPurge purges;
  private final TieringMetrics metrics;
  private ScheduledExecutorService executor;

  public MoveWorker(
      MoveJobRepository jobs,
      MoveSteps steps,
      TieringConfig config,
      ObjectDeletion deletions,
      RetentionPurge purges,
      TieringMetrics metrics) {
    this.jobs = jobs;
    this.steps = steps;
    this.config = config;
    this.deletions = deletions;
    this.purges = purges;
    this.metrics = metrics;
  }

  void start(@Observes StartupEvent event) {
    if (!config.worker().enabled()) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "strata-tiering-moves"));
    long every = config.worker().interval().toMillis();
    executor.scheduleWithFixedDelay(this::runDueSafely, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private void runDueSafely() {
    try {
      runDue();
      deletions.runDue();
      purges.runDue();
    } catch (Exception e) {
      LOG.warnf("move worker: %s; trying again", e.toString());
    }
  }

  /** Runs steps of due jobs until none is due; returns the steps run. */
  public int runDue() throws SQLException {
    int ran = 0;
    Optional<Transition> t;
    while ((t = jobs.advanceNext(steps::advance)).isPresent()) {
      count(t.get());
      ran++;
      pauseIfFaultPoint(t.get());
    }
    return ran;
  }

  /**
   * The kill suite's fault point ({@code strata.tiering.worker.pause-after}, unset in production):
   * once a job's step named there is committed to the journal, the worker stops where it is and
   * says so in the log, so the suite can kill -9 the service exactly after that step.
   */
  private void pauseIfFaultPoint(Transition t) {
    Optional<String> at = config.worker().pauseAfter();
    if (at.isEmpty() || t.failed() || !t.state().name().equals(at.get())) {
      return;
    }
    LOG.warnf("fault point: the move worker pauses after %s until the service is killed", at.get());
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs the next step of one job (tests: a crash is stopping between two of these). */
  public Optional<Transition> step(UUID job) throws SQLException {
    Optional<Transition> t = jobs.advance(job, steps::advance);
    t.ifPresent(this::count);
    return t;
  }

  private void count(Transition t) {
    if (t.failed()) {
      metrics.moveFailed();
    } else if (t.state().finished()) {
      metrics.moveFinished(t.state());
    }
  }
}
