package org.strata.audit.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.strata.audit.config.AuditConfig;
import org.strata.audit.repository.PartitionRepository;

/**
 * Drops the trail's monthly partitions once every record in them is older than {@code
 * strata.audit.retention.years}, checked every {@code retention.check-every} from start-up.
 */
@ApplicationScoped
public class RetentionJob {
  private static final Logger LOG = Logger.getLogger(RetentionJob.class);
  private final PartitionRepository partitions;
  private final AuditConfig config;
  private ScheduledExecutorService timer;

  RetentionJob(PartitionRepository partitions, AuditConfig config) {
    this.partitions = partitions;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("audit-retention").unstarted(r));
    long every = config.retention().checkEvery().toMillis();
    timer.scheduleWithFixedDelay(this::run, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** The instant before which records may go: now minus the retention in calendar years (UTC). */
  public Instant cutoff(Instant now) {
    return now.atOffset(ZoneOffset.UTC).minusYears(config.retention().years()).toInstant();
  }

  /** One pass: drops what is due; how many partitions. */
  public int run(Instant now) throws SQLException {
    return partitions.dropEndedBefore(cutoff(now));
  }

  private void run() {
    try {
      run(Instant.now());
    } catch (SQLException | RuntimeException e) {
      LOG.warnf(
          "audit retention pass failed (%s); next pass in %s",
          e.getMessage(), config.retention().checkEvery());
    }
  }
}
