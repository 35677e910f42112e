package org.strata.tiering.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.tiering.config.TieringConfig;
import org.strata.tiering.repository.TierUsage;
import org.strata.tiering.repository.TierUsage.Usage;

/**
 * {@code strata_tiering_*} metrics: counters of moves (by outcome), purges and failures (by kind),
 * and gauges of the objects and bytes per tier and tenant as the index has them, refreshed at the
 * policies interval (an aggregate over every location: not on every scrape).
 */
@ApplicationScoped
public class TieringMetrics {
  private final MeterRegistry registry;
  private final TierUsage usage;
  private final TieredStorage storage;
  private final TieringConfig config;
  private final MultiGauge objects;
  private final MultiGauge bytes;
  private ScheduledExecutorService executor;

  public TieringMetrics(
      MeterRegistry registry, TierUsage usage, TieredStorage storage, TieringConfig config) {
    this.registry = registry;
    this.usage = usage;
    this.storage = storage;
    this.config = config;
    this.objects =
        MultiGauge.builder("strata.tiering.objects")
            .description("Instances stored, by tier and tenant (index locations)")
            .register(registry);
    this.bytes =
        MultiGauge.builder("strata.tiering.bytes")
            .description("Bytes of the instances stored, by tier and tenant")
            .baseUnit("bytes")
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    executor =
        Periodic.start(
            "strata-tiering-metrics",
            Duration.ZERO,
            config.policies().interval(),
            "tier usage refresh",
            this::refreshUsage);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /**
   * Reads the usage from the index and sets the gauges (tiers by name; other buckets by bucket).
   */
  public void refreshUsage() throws SQLException {
    List<MultiGauge.Row<?>> objectRows = new ArrayList<>();
    List<MultiGauge.Row<?>> byteRows = new ArrayList<>();
    for (Usage u : usage.all()) {
      String tier = storage.tiers().ofBucket(u.bucket()).map(Tier::name).orElse(u.bucket());
      Tags tags = Tags.of("tier", tier, "tenant", u.tenant());
      objectRows.add(MultiGauge.Row.of(tags, u.objects()));
      byteRows.add(MultiGauge.Row.of(tags, u.bytes()));
    }
    objects.register(objectRows, true);
    bytes.register(byteRows, true);
  }

  /** A move finished (DONE, REFUSED, ROLLED_BACK). */
  void moveFinished(MoveState outcome) {
    registry.counter("strata.tiering.moves", "outcome", outcome.name()).increment();
  }

  void moveFailed() {
    failed("move");
  }

  void purged() {
    registry.counter("strata.tiering.purges").increment();
  }

  void purgeFailed() {
    failed("purge");
  }

  void deletionFailed() {
    failed("deletion");
  }

  private void failed(String kind) {
    registry.counter("strata.tiering.failures", "kind", kind).increment();
  }
}
