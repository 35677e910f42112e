package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;
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
    } catch (StorageException e) {
      metrics.deletionFailed();
      LOG.warnf("deletion %s: %s; again later", job.id(), StorageException.describe(e));
      return new Outcome(
          "PENDING", "retrying: " + StorageException.describe(e), Instant.now().plus(RECHECK));
    }
    return new Outcome("DONE", null, Instant.now());
  }
}
