package org.strata.index.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.index.config.IndexConfig;
import org.strata.index.repository.IndexRepository;
import org.strata.index.repository.IndexRepository.Outcome;

/**
 * Applies one {@link InstanceStored} to the index in one transaction: tenant, patient, study,
 * series, instance, object location and aggregates. Idempotent: applying the same event again
 * changes nothing.
 */
@ApplicationScoped
public class InstanceIndexer {
  private static final Logger LOG = Logger.getLogger(InstanceIndexer.class);

  private final Mutiny.SessionFactory sessions;
  private final IndexRepository repository;
  private final IndexConfig config;
  private final MeterRegistry metrics;
  private final Set<String> knownTenants = ConcurrentHashMap.newKeySet();

  public InstanceIndexer(
      Mutiny.SessionFactory sessions,
      IndexRepository repository,
      IndexConfig config,
      MeterRegistry metrics) {
    this.sessions = sessions;
    this.repository = repository;
    this.config = config;
    this.metrics = metrics;
  }

  public Uni<IndexResult> index(InstanceStored event) {
    String defaultIssuer = config.defaultIssuer(event.tenant());
    IndexedInstance instance = IndexedInstance.from(event, defaultIssuer);
    boolean tenantKnown = knownTenants.contains(event.tenant());
    return sessions
        .withTransaction(
            s ->
                (tenantKnown
                        ? Uni.createFrom().voidItem()
                        : repository.ensureTenant(s, event.tenant(), defaultIssuer))
                    .chain(() -> repository.upsertPatient(s, instance))
                    .chain(patientPk -> repository.upsertStudy(s, instance, patientPk))
                    .chain(
                        study ->
                            repository
                                .upsertSeries(s, instance, study.pk())
                                .chain(
                                    series ->
                                        repository
                                            .upsertInstance(s, instance, series.pk())
                                            .chain(
                                                outcome ->
                                                    (outcome == Outcome.CREATED
                                                            ? repository.countInstance(
                                                                s,
                                                                instance,
                                                                study.pk(),
                                                                series.pk(),
                                                                series.created())
                                                            : repository.studyAggregates(
                                                                s, study.pk()))
                                                        .map(
                                                            aggregates ->
                                                                new IndexResult(
                                                                    outcome, aggregates))))))
        .invoke(
            result -> {
              knownTenants.add(event.tenant());
              metrics
                  .counter("strata.index.instances", "outcome", result.outcome().name())
                  .increment();
              // From the moment ingest stored the instance to its commit in the index.
              Timer.builder("strata.index.lag")
                  .description("Time from InstanceStored to the committed index row")
                  .publishPercentiles(0.5, 0.95, 0.99)
                  .register(metrics)
                  .record(Duration.between(event.occurredAt(), Instant.now()));
              LOG.debugf(
                  "indexed %s of study %s: %s",
                  event.sopInstanceUid(), event.studyInstanceUid(), result.outcome());
            });
  }
}
