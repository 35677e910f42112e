package org.strata.routing.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.repository.JobBoard;

/**
 * Keeps {@code routing.job} from growing without end: every {@code job-purge-interval}, the rows of
 * jobs finished more than {@code job-retention} ago are deleted (counted in {@code
 * strata_routing_jobs_purged_total}). A queue record of such a job read again after that long would
 * no longer be recognised as finished (ADR 0041); queue topics keep their records far shorter.
 */
@ApplicationScoped
public class JobPurge {
  private static final Logger LOG = Logger.getLogger(JobPurge.class);

  private final JobBoard board;
  private final Duration retention;
  private final Duration interval;
  private final Counter purged;
  private ScheduledExecutorService timer;

  JobPurge(JobBoard board, RoutingConfig config, MeterRegistry metrics) {
    this.board = board;
    this.retention = config.jobRetention();
    this.interval = config.jobPurgeInterval();
    this.purged = metrics.counter("strata_routing_jobs_purged");
  }

  void start(@Observes StartupEvent event) {
    timer = DaemonTimer.every("routing-job-purge", interval, this::purgeOnce);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** One purge; a failure is logged and the next run tries again. */
  void purgeOnce() {
    try {
      int n = board.purgeFinishedBefore(Instant.now().minus(retention));
      purged.increment(n);
      if (n > 0) {
        LOG.infof("purged %d finished routing jobs older than %s", n, retention);
      }
    } catch (RuntimeException e) {
      LOG.warnf("routing job purge failed: %s", e.getMessage());
    }
  }
}
