package org.strata.index.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.index.config.TenantIssuers;
import org.strata.index.repository.IndexRepository;
import org.strata.index.repository.IndexRepository.NewInstance;
import org.strata.index.repository.IndexRepository.Outcome;
import org.strata.index.repository.IndexRepository.PatientState;
import org.strata.index.repository.IndexRepository.StudyAggregates;
import org.strata.index.repository.IndexRepository.Upserted;
import org.strata.index.service.BatchResult.Applied;
import org.strata.index.service.BatchResult.StudyKey;
import org.strata.index.service.BatchResult.StudyState;

/**
 * Applies a batch of {@link InstanceStored} events to the index in one transaction: tenant,
 * patient, study, series, instance, object location and aggregates. Idempotent: applying the same
 * events again changes nothing.
 *
 * <p>Within a batch, a patient, study or series already written by an earlier event needs no
 * further round trip, and aggregates are counted in memory and written once per series and study at
 * the end: a new instance of a known series costs one statement.
 */
@ApplicationScoped
public class InstanceIndexer {
  private static final Logger LOG = Logger.getLogger(InstanceIndexer.class);

  private final Mutiny.SessionFactory sessions;
  private final IndexRepository repository;
  private final TenantIssuers issuers;
  private final MeterRegistry metrics;
  private final Timer lag;
  // One counter per outcome, looked up once: a registry lookup per event built a meter id each
  // time.
  private final Map<Outcome, Counter> outcomes = new java.util.EnumMap<>(Outcome.class);

  public InstanceIndexer(
      Mutiny.SessionFactory sessions,
      IndexRepository repository,
      TenantIssuers issuers,
      MeterRegistry metrics) {
    this.sessions = sessions;
    this.repository = repository;
    this.issuers = issuers;
    this.metrics = metrics;
    this.lag =
        Timer.builder("strata.index.lag")
            .description("Time from InstanceStored to the committed index row")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(metrics);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, metrics.counter("strata.index.instances", "outcome", o.name()));
    }
  }

  /** Applies {@code events} in order, in one transaction. */
  public Uni<BatchResult> index(List<InstanceStored> events) {
    List<IndexedInstance> instances = new ArrayList<>(events.size());
    for (InstanceStored e : events) {
      instances.add(IndexedInstance.from(e, issuers.of(e.tenant())));
    }
    return sessions
        .withTransaction(s -> apply(s, events, instances))
        .invoke(
            result -> {
              countReplacedCharacters(instances);
              Instant now = Instant.now();
              for (Applied a : result.applied()) {
                outcomes.get(a.outcome()).increment();
                // From the moment ingest stored the instance to its commit in the index.
                lag.record(Duration.between(a.event().occurredAt(), now));
                LOG.debugf(
                    "indexed %s of study %s: %s",
                    a.event().sopInstanceUid(), a.event().studyInstanceUid(), a.outcome());
              }
            });
  }

  /**
   * Instances of a committed batch whose index copy had a value PostgreSQL cannot hold (ADR 0023):
   * indexed without the NUL (an unpaired surrogate as U+FFFD), the stored object unchanged;
   * operators see how often such values arrive.
   */
  private void countReplacedCharacters(List<IndexedInstance> instances) {
    for (IndexedInstance i : instances) {
      if (i.charactersReplaced()) {
        Counter.builder("strata.index.instances.characters.replaced")
            .description("Instances indexed with a NUL removed or an unpaired surrogate replaced")
            .tag("tenant", i.tenant())
            .register(metrics)
            .increment();
        LOG.debugf("instance %s indexed with characters replaced", i.sopInstanceUid());
      }
    }
  }

  private Uni<BatchResult> apply(
      Mutiny.Session s, List<InstanceStored> events, List<IndexedInstance> instances) {
    Batch batch = new Batch();
    int size = events.size();
    long[] seriesPks = new long[size];
    boolean[] newSeries = new boolean[size];
    Outcome[] outcomes = new Outcome[size];
    // 1. Tenant, patient, study and series of each event, in order (most are known already).
    Uni<Void> chain =
        sequentially(
            size,
            k ->
                placeInSeries(s, batch, instances.get(k))
                    .invoke(
                        series -> {
                          seriesPks[k] = series.pk;
                          newSeries[k] = series.created;
                        })
                    .replaceWithVoid());
    // 2. Every instance (first occurrence of its SOP in the batch) inserted in one statement.
    return chain
        .chain(
            () -> {
              List<NewInstance> rows = new ArrayList<>();
              Set<String> seen = new java.util.HashSet<>();
              for (int n = 0; n < size; n++) {
                IndexedInstance i = instances.get(n);
                if (seen.add(i.tenant() + '/' + i.sopInstanceUid())) {
                  rows.add(new NewInstance(i, seriesPks[n]));
                }
              }
              return repository.insertInstances(s, rows);
            })
        // 3. The others (replays, new versions, repeats within the batch) one by one, in order.
        .chain(
            created -> {
              List<Integer> others = new ArrayList<>();
              Set<String> claimed = new java.util.HashSet<>();
              for (int n = 0; n < size; n++) {
                IndexedInstance i = instances.get(n);
                String key = i.tenant() + '/' + i.sopInstanceUid();
                if (created.contains(key) && claimed.add(key)) {
                  outcomes[n] = Outcome.CREATED;
                } else {
                  others.add(n);
                }
              }
              return sequentially(
                  others.size(),
                  j -> {
                    int k = others.get(j);
                    return repository
                        .existingInstance(s, instances.get(k))
                        .invoke(o -> outcomes[k] = o)
                        .replaceWithVoid();
                  });
            })
        // 4. Aggregates, counted in event order.
        .chain(
            () -> {
              for (int n = 0; n < size; n++) {
                count(
                    batch,
                    events.get(n),
                    instances.get(n),
                    seriesPks[n],
                    newSeries[n],
                    outcomes[n]);
              }
              return writeAggregates(s, batch);
            });
  }

  /**
   * Runs {@code count} steps one after another. Not as a loop of {@code chain} calls: a chain of
   * hundreds of nested Unis (one per event of a full batch) stalled the batch without an error
   * (InstanceIndexingTest#aLargeSeriesArrivingAtOnceIsIndexedInFullBatches); concatenation drains
   * the steps iteratively.
   */
  private static Uni<Void> sequentially(int count, java.util.function.IntFunction<Uni<Void>> step) {
    if (count == 0) {
      return Uni.createFrom().voidItem();
    }
    return io.smallrye.mutiny.Multi.createFrom()
        .range(0, count)
        .onItem()
        .transformToUniAndConcatenate(step::apply)
        .collect()
        .last()
        .replaceWithVoid();
  }

  private Uni<SeriesSeen> placeInSeries(Mutiny.Session s, Batch batch, IndexedInstance i) {
    String tenant = i.tenant();
    String patientKey = tenant + '\u0000' + i.patientId() + '\u0000' + i.issuerOfPatientId();
    String seriesKey = tenant + '\u0000' + i.seriesUid();
    StudyKey studyKey = new StudyKey(tenant, i.studyUid());
    // The tenant row comes with a new patient's (IndexRepository#upsertPatient).
    return repository
        .upsertPatient(s, i, batch.patients.get(patientKey))
        .chain(
            patient -> {
              batch.patients.put(patientKey, patient);
              Long studyPk = batch.studyPks.get(studyKey);
              SeriesSeen seen = batch.series.get(seriesKey);
              // A series whose modality is still unknown goes through the upsert again: it takes
              // the first modality that arrives.
              boolean seriesKnown = seen != null && (seen.hasModality || i.modality() == null);
              if (studyPk == null && !seriesKnown) {
                // The study's first event in this batch: study and series in one round trip.
                return repository
                    .upsertStudyAndSeries(s, i, patient.pk())
                    .map(
                        both -> {
                          batch.studyPks.put(studyKey, both.study().pk());
                          return seen(both.series(), i, seen);
                        });
              }
              Uni<Long> study =
                  studyPk != null
                      ? Uni.createFrom().item(studyPk)
                      : repository.upsertStudy(s, i, patient.pk()).map(Upserted::pk);
              return study.chain(
                  pk -> {
                    batch.studyPks.put(studyKey, pk);
                    return seriesKnown
                        ? Uni.createFrom().item(seen)
                        : repository.upsertSeries(s, i, pk).map(series -> seen(series, i, seen));
                  });
            })
        .invoke(series -> batch.series.put(seriesKey, series));
  }

  /** The series row after an upsert, with what an earlier event of the batch knew of it. */
  private static SeriesSeen seen(Upserted series, IndexedInstance i, SeriesSeen before) {
    return new SeriesSeen(
        series.pk(),
        i.modality() != null || (before != null && before.hasModality),
        series.created() || (before != null && before.created));
  }

  private static void count(
      Batch batch,
      InstanceStored event,
      IndexedInstance i,
      long seriesPk,
      boolean newSeries,
      Outcome outcome) {
    batch.applied.add(new Applied(event, outcome));
    StudyKey studyKey = new StudyKey(i.tenant(), i.studyUid());
    StudyDelta delta =
        batch.studies.computeIfAbsent(studyKey, k -> new StudyDelta(batch.studyPks.get(k)));
    delta.lastEvent = event;
    if (event.accessLabels() != null) {
      // Every outcome: adding a label twice changes nothing, and a replay restores a lost one.
      delta.labels.addAll(event.accessLabels());
    }
    if (outcome != Outcome.CREATED) {
      return;
    }
    delta.seriesCounts.merge(seriesPk, 1, Integer::sum);
    delta.instances++;
    if (newSeries && batch.seriesCounted.add(seriesPk)) {
      delta.series++;
    }
    if (i.modality() != null) {
      delta.modalities.add(i.modality());
    }
    delta.sopClasses.add(i.sopClassUid());
    if (delta.description == null) {
      delta.description = i.studyDescription();
    }
  }

  private Uni<BatchResult> writeAggregates(Mutiny.Session s, Batch batch) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    Map<StudyKey, StudyState> states = new LinkedHashMap<>();
    for (Map.Entry<StudyKey, StudyDelta> e : batch.studies.entrySet()) {
      StudyDelta d = e.getValue();
      if (!d.labels.isEmpty()) {
        chain =
            chain.chain(() -> repository.addStudyLabels(s, d.studyPk, String.join("\\", d.labels)));
      }
      Uni<StudyAggregates> aggregates =
          d.instances == 0
              ? Uni.createFrom().deferred(() -> repository.studyAggregates(s, d.studyPk))
              : Uni.createFrom()
                  .deferred(
                      () ->
                          repository.countStudy(
                              s,
                              d.studyPk,
                              d.seriesCounts,
                              d.instances,
                              d.series,
                              String.join("\\", d.modalities),
                              String.join("\\", d.sopClasses),
                              d.description));
      chain =
          chain.chain(
              () ->
                  aggregates
                      .invoke(a -> states.put(e.getKey(), new StudyState(a, d.lastEvent)))
                      .replaceWithVoid());
    }
    return chain.map(v -> new BatchResult(List.copyOf(batch.applied), states));
  }

  /** What this transaction has written so far. */
  private static final class Batch {
    final Map<String, PatientState> patients = new HashMap<>();
    final Map<StudyKey, Long> studyPks = new HashMap<>();
    final Map<String, SeriesSeen> series = new HashMap<>();
    final Set<Long> seriesCounted = new java.util.HashSet<>();
    final Map<StudyKey, StudyDelta> studies = new LinkedHashMap<>();
    final List<Applied> applied = new ArrayList<>();
  }

  /** A series row: its pk, whether it has a modality, whether this transaction created it. */
  private record SeriesSeen(long pk, boolean hasModality, boolean created) {}

  /** What the batch adds to one study's aggregates. */
  private static final class StudyDelta {
    final long studyPk;
    // New instances per series of the study: counted by the study's statement (one per study).
    final Map<Long, Integer> seriesCounts = new LinkedHashMap<>();
    int instances;
    int series;
    final Set<String> modalities = new LinkedHashSet<>();
    final Set<String> sopClasses = new LinkedHashSet<>();
    final Set<String> labels = new LinkedHashSet<>();
    String description;
    InstanceStored lastEvent;

    StudyDelta(long studyPk) {
      this.studyPk = studyPk;
    }
  }
}
