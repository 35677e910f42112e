package org.strata.tiering.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.strata.events.InstanceDeleted;
import org.strata.events.ObjectLocation;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.storage.ObjectStore.ListedObject;
import org.strata.storage.StorageException;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.tiering.config.TieringConfig;
import org.strata.tiering.messaging.InstanceDeletedPublisher;
import org.strata.tiering.repository.IndexLocations;
import org.strata.tiering.repository.IndexedInstance;
import org.strata.tiering.repository.LegalHoldRepository;
import org.strata.tiering.repository.PatientHoldRepository;
import org.strata.tiering.repository.RetentionRepository;
import org.strata.tiering.repository.RetentionRepository.Expired;
import org.strata.tiering.repository.RetentionRepository.Outcome;
import org.strata.tiering.repository.RetentionRepository.Purge;

/**
 * Retention (ADR 0037): each study's expiry under its tenant's rule; once expired and the grace
 * period over, a journaled purge asks index to delete the study (InstanceDeleted, the contract of
 * index's admin deletes) and, when index has removed it, removes every object under the study's
 * prefix on every tier (all object versions, sidecars, frame indexes). A held study is never
 * purged: it is not planned, and a hold placed later stops the purge where it is.
 */
@ApplicationScoped
public class RetentionPurge {
  private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
  static final String REQUESTED_BY = "storage-tiering retention";

  private final RetentionRepository repository;
  private final IndexLocations index;
  private final LegalHoldRepository holds;
  private final PatientHoldRepository patientHolds;
  private final InstanceDeletedPublisher publisher;
  private final TieredStorage storage;
  private final TieringConfig config;
  private final TieringMetrics metrics;
  private final TieringAudit audit;
  private final List<RetentionRule> rules;
  private ScheduledExecutorService executor;

  public RetentionPurge(
      RetentionRepository repository,
      IndexLocations index,
      LegalHoldRepository holds,
      PatientHoldRepository patientHolds,
      InstanceDeletedPublisher publisher,
      TieredStorage storage,
      TieringConfig config,
      TieringMetrics metrics,
      TieringAudit audit) {
    this.audit = audit;
    this.repository = repository;
    this.index = index;
    this.holds = holds;
    this.patientHolds = patientHolds;
    this.publisher = publisher;
    this.storage = storage;
    this.config = config;
    this.metrics = metrics;
    this.rules =
        config
            .policies()
            .file()
            .filter(f -> !f.isBlank())
            .map(f -> PolicyFile.readRetention(Path.of(f)))
            .orElse(List.of());
  }

  void start(@Observes StartupEvent event) {
    LOG.infof("%d retention rules", rules.size());
    if (!config.retention().scheduled() || rules.isEmpty()) {
      return;
    }
    Duration every = config.policies().interval();
    executor =
        Periodic.start(
            "strata-tiering-retention", every, every, "retention evaluation", this::evaluate);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  public List<RetentionRule> rules() {
    return rules;
  }

  /** What one evaluation did: expiries computed, purges planned. */
  public record Evaluation(int expiries, int planned) {}

  /** Computes every rule's expiries and journals the purges now due. */
  public Evaluation evaluate() throws SQLException {
    // Patient holds first: a study of a held patient is recorded as held before anything is
    // planned.
    patientHolds.recordStudies();
    int expiries = 0;
    List<String> names = new ArrayList<>();
    for (RetentionRule rule : rules) {
      expiries += repository.refresh(rule);
      names.add(rule.name());
    }
    int planned = names.isEmpty() ? 0 : repository.plan(expiredBy(), names);
    if (planned > 0) {
      LOG.infof("retention planned %d purges", planned);
    }
    return new Evaluation(expiries, planned);
  }

  /** Expired on day D, purged once D + grace has passed (the day counts from its start, UTC). */
  private LocalDate expiredBy() {
    return Instant.now().minus(config.retention().grace()).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /**
   * What the tenant's rule would purge now, without purging or writing anything.
   *
   * @param rule the tenant's rule; null when it has none (nothing is purged)
   * @param studies each study with its expiry, instances and bytes (at most {@code limit})
   * @param bytesByTier the bytes of all of them by the tier they are on now
   */
  public record DryRun(
      String tenant,
      String rule,
      LocalDate expiredBy,
      int studyCount,
      long instances,
      long bytes,
      Map<String, Long> bytesByTier,
      List<Map<String, Object>> studies) {}

  /** The dry run of {@code tenant}'s rule, listing at most {@code limit} studies. */
  public DryRun dryRun(String tenant, int limit) throws SQLException {
    LocalDate by = expiredBy();
    RetentionRule rule =
        rules.stream().filter(r -> r.tenant().equals(tenant)).findFirst().orElse(null);
    Map<String, Map<String, Object>> studies = new LinkedHashMap<>();
    Map<String, Long> byTier = new TreeMap<>();
    long instances = 0;
    long bytes = 0;
    for (Expired part : rule == null ? List.<Expired>of() : repository.dryRun(rule, by)) {
      String tier = storage.tiers().ofBucket(part.bucket()).map(Tier::name).orElse(part.bucket());
      byTier.merge(tier, part.bytes(), Long::sum);
      instances += part.instances();
      bytes += part.bytes();
      Map<String, Object> study =
          studies.computeIfAbsent(
              part.studyUid(),
              uid -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("study", uid);
                m.put("expiresOn", part.expiresOn().toString());
                m.put("instances", 0L);
                m.put("bytes", 0L);
                return m;
              });
      study.merge("instances", part.instances(), (a, b) -> (Long) a + (Long) b);
      study.merge("bytes", part.bytes(), (a, b) -> (Long) a + (Long) b);
    }
    return new DryRun(
        tenant,
        rule == null ? null : rule.name(),
        by,
        studies.size(),
        instances,
        bytes,
        byTier,
        studies.values().stream().limit(limit).toList());
  }

  /** Runs every due purge step; returns how many ran. */
  public int runDue() throws Exception {
    int ran = 0;
    while (repository.advanceNext(this::step)) {
      ran++;
    }
    return ran;
  }

  private Outcome step(Purge purge) throws Exception {
    if (holds.inForce(purge.tenant(), purge.studyUid()).isPresent()) {
      return new Outcome(
          purge.requestedAt() == null ? "DUE" : "REQUESTED",
          "legal hold: not purged while it is in force",
          Instant.now().plus(config.retention().indexPoll().multipliedBy(12)),
          0);
    }
    if (purge.requestedAt() == null) {
      return request(purge);
    }
    if (index.hasStudy(purge.tenant(), purge.studyUid())) {
      return new Outcome(
          "REQUESTED",
          "waiting for index to delete the study",
          Instant.now().plus(config.retention().indexPoll()),
          0);
    }
    return sweep(purge);
  }

  /** Asks index to delete the study; the event id is the purge's, so a repeat is a replay. */
  private Outcome request(Purge purge) {
    List<ObjectLocation> objects = new ArrayList<>();
    try {
      for (IndexedInstance i : index.ofStudy(purge.tenant(), purge.studyUid())) {
        objects.add(
            new ObjectLocation(
                i.bucket(),
                i.objectKey(),
                i.size(),
                i.sha256(),
                i.sidecarKey(),
                i.frameIndexKey()));
      }
      // Recorded before it is asked for: a purge the trail cannot hold is not made (ADR 0035).
      IndexLocations.Patient patient =
          index.patientOf(purge.tenant(), purge.studyUid()).orElse(null);
      audit.purge(
          purge.tenant(),
          purge.studyUid(),
          patient == null ? null : patient.id(),
          patient == null ? null : patient.issuer(),
          purge.rule(),
          objects.size());
      publisher.publish(
          new InstanceDeleted(
              purge.eventId().toString(),
              Instant.now(),
              purge.tenant(),
              InstanceDeleted.Scope.STUDY,
              purge.studyUid(),
              null,
              null,
              objects,
              "retention rule " + purge.rule() + " expired",
              REQUESTED_BY));
    } catch (SQLException | RuntimeException e) {
      metrics.purgeFailed();
      LOG.warnf("purge %s: %s; again later", purge.id(), e.toString());
      return new Outcome("DUE", "retrying: " + e.getMessage(), Instant.now().plusSeconds(60), 0);
    }
    return new Outcome("REQUESTED", null, Instant.now(), 0);
  }

  /**
   * Removes everything under the study's prefix on every tier that is older than the request (an
   * object written later belongs to a study stored again under the same UID).
   */
  private Outcome sweep(Purge purge) {
    String prefix = ObjectKeys.study(purge.tenant(), purge.studyUid());
    int removed = 0;
    try {
      for (Tier tier : storage.tiers().all()) {
        ObjectStore store = storage.store(tier);
        List<String> keys = new ArrayList<>();
        for (ListedObject o : store.list(prefix)) {
          if (!o.lastModified().isAfter(purge.requestedAt())) {
            keys.add(o.key());
          }
        }
        for (String key : keys) {
          store.delete(key);
          removed++;
        }
      }
    } catch (StorageException | RuntimeException e) {
      metrics.purgeFailed();
      String why = e instanceof StorageException s ? StorageException.describe(s) : e.toString();
      LOG.warnf("purge %s: %s; again later", purge.id(), why);
      return new Outcome("REQUESTED", "retrying: " + why, Instant.now().plusSeconds(60), removed);
    }
    metrics.purged();
    LOG.debugf("purged study %s of %s: %d objects", purge.studyUid(), purge.tenant(), removed);
    return new Outcome("DONE", null, Instant.now(), removed);
  }
}
