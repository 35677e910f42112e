package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.tiering.repository.DeletionJobRepository;
import org.strata.tiering.repository.DeletionJobRepository.DeletionJob;
import org.strata.tiering.repository.DeletionJobRepository.Outcome;
import org.strata.tiering.repository.IndexLocations;
import org.strata.tiering.repository.LegalHoldRepository;

/**
 * Deletes that delete: the objects of instances index deleted are removed from their tier once the
 * grace period is over, unless the study is under a legal hold (then kept until it is lifted) or
 * the index points at the same key again (the instance was stored anew under its UIDs).
 */
@ApplicationScoped
public class ObjectDeletion {
  private static final Logger LOG = Logger.getLogger(ObjectDeletion.class);
  private static final Duration RECHECK = Duration.ofMinutes(1);

  /** {@code <prefix>/<SOP Instance UID>[.v<n>].dcm} (ObjectKeys): the prefix and the UID. */
  private static final Pattern INSTANCE_KEY =
      Pattern.compile("(.*/)([0-9]+(?:\\.[0-9]+)*?)(?:\\.v[0-9]+)?\\.dcm");

  private final DeletionJobRepository jobs;
  private final TieredStorage storage;
  private final LegalHoldRepository holds;
  private final IndexLocations index;
  private final TieringMetrics metrics;

  public ObjectDeletion(
      DeletionJobRepository jobs,
      TieredStorage storage,
      LegalHoldRepository holds,
      IndexLocations index,
      TieringMetrics metrics) {
    this.jobs = jobs;
    this.storage = storage;
    this.holds = holds;
    this.index = index;
    this.metrics = metrics;
  }

  /** Runs every due deletion; returns how many steps ran. */
  public int runDue() throws Exception {
    int ran = 0;
    while (jobs.advanceNext(this::delete)) {
      ran++;
    }
    return ran;
  }

  private Outcome delete(DeletionJob job) throws Exception {
    if (holds.inForce(job.tenant(), job.studyUid()).isPresent()) {
      return new Outcome(
          "PENDING", "legal hold: kept until it is lifted", Instant.now().plus(RECHECK));
    }
    if (index.pointsAt(job.bucket(), job.objectKey())) {
      return new Outcome("SKIPPED", "the index points at this object again", Instant.now());
    }
    ObjectStore store = storage.storeOfBucket(job.bucket());
    try {
      for (String key : new String[] {job.objectKey(), job.sidecarKey(), job.frameIndexKey()}) {
        if (key != null) {
          store.delete(key);
        }
      }
      removeOtherVersions(job);
    } catch (StorageException | java.io.UncheckedIOException e) {
      metrics.deletionFailed();
      String why = e instanceof StorageException s ? StorageException.describe(s) : e.toString();
      LOG.warnf("deletion %s: %s; again later", job.id(), why);
      return new Outcome("PENDING", "retrying: " + why, Instant.now().plus(RECHECK));
    }
    return new Outcome("DONE", null, Instant.now());
  }

  /**
   * Removes the instance's other object versions on every tier, which the event does not name (an
   * older version a later store replaced, a copy left on another tier): those written before the
   * deletion was journaled and not pointed at by the index. A key of another SOP Instance UID that
   * merely starts with this one ({@code 1.2.3.4} for {@code 1.2.3}) is never one of them.
   */
  private void removeOtherVersions(DeletionJob job) throws java.sql.SQLException, StorageException {
    Matcher key = INSTANCE_KEY.matcher(job.objectKey());
    if (!key.matches()) {
      return; // not an instance key of ObjectKeys' layout: nothing to derive versions from
    }
    String base = key.group(1) + key.group(2);
    Pattern versions = Pattern.compile(Pattern.quote(base) + "(\\.v[0-9]+)?\\.dcm");
    for (Tier tier : storage.tiers().all()) {
      ObjectStore store = storage.store(tier);
      List<String> stale = new ArrayList<>();
      for (ObjectStore.ListedObject o : store.list(base + ".")) {
        if (versions.matcher(o.key()).matches()
            && o.lastModified().isBefore(job.createdAt())
            && !index.pointsAt(tier.bucket(), o.key())) {
          stale.add(o.key());
        }
      }
      for (String k : stale) {
        store.delete(k);
      }
    }
  }
}
