package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.strata.events.InstanceMoved;
import org.strata.events.ObjectLocation;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;
import org.strata.storage.TieredStorage;
import org.strata.tiering.config.TieringConfig;
import org.strata.tiering.messaging.InstanceMovedPublisher;
import org.strata.tiering.repository.IndexLocations;
import org.strata.tiering.repository.IndexedInstance;
import org.strata.tiering.repository.LegalHoldRepository;
import org.strata.tiering.repository.MoveJob;
import org.strata.tiering.repository.MoveJobRepository.Transition;

/**
 * One step of a move, chosen by the state the journal holds (ADR 0031). Every step can run again
 * after a crash: a copy overwrites, a verification reads again, the event has the job's id (index
 * applies it as a compare-and-set), a deletion of what is gone is a no-op. The source is deleted
 * only after the copy verified and the index points at it.
 */
@ApplicationScoped
public class MoveSteps {
  private static final Logger LOG = Logger.getLogger(MoveSteps.class);

  /** How often a move whose study is held looks again whether the hold was lifted. */
  private static final Duration HOLD_RECHECK = Duration.ofMinutes(1);

  private final TieredStorage storage;
  private final IndexLocations index;
  private final InstanceMovedPublisher publisher;
  private final TieringConfig config;
  private final LegalHoldRepository holds;

  public MoveSteps(
      TieredStorage storage,
      IndexLocations index,
      InstanceMovedPublisher publisher,
      TieringConfig config,
      LegalHoldRepository holds) {
    this.storage = storage;
    this.index = index;
    this.publisher = publisher;
    this.config = config;
    this.holds = holds;
  }

  /** Runs the step the job is at; a failure of S3, Kafka or PostgreSQL is retried later. */
  public Transition advance(MoveJob job) {
    try {
      return switch (job.state()) {
        case PLANNED -> copy(job);
        case COPIED -> verify(job);
        case VERIFIED -> requestSwitch(job);
        case SWITCH_REQUESTED -> awaitSwitch(job);
        case SWITCHED -> deleteSource(job);
        case DONE, REFUSED, ROLLED_BACK -> throw new IllegalStateException("finished job");
      };
    } catch (StorageException | IOException | SQLException | RuntimeException e) {
      Duration wait = backoff(job.attempts());
      String what = e instanceof StorageException s ? StorageException.describe(s) : e.toString();
      LOG.warnf("move %s: %s failed (%s), again in %s", job.id(), job.state(), what, wait);
      return new Transition(job.state(), "retrying: " + what, Instant.now().plus(wait), null, true);
    }
  }

  private Transition copy(MoveJob job) throws StorageException, IOException {
    for (String key : keys(job)) {
      ObjectCopier.copy(source(job), target(job), key);
    }
    return next(MoveState.COPIED);
  }

  private Transition verify(MoveJob job) throws StorageException, IOException {
    Optional<ObjectCopier.Digest> object = ObjectCopier.digest(target(job), job.objectKey());
    String refusal = null;
    if (object.isEmpty()) {
      refusal = "the copy is missing on the target tier";
    } else if (object.get().size() != job.size()) {
      refusal = "the copy's size differs from what ingest recorded";
    } else if (!object.get().sha256().equals(job.sha256())) {
      refusal = "the copy's SHA-256 differs from what ingest recorded";
    }
    // Sidecar and frame index: ingest recorded no digest of them; the copy must equal the source.
    for (String key : derivatives(job)) {
      if (refusal == null
          && !ObjectCopier.digest(source(job), key).equals(ObjectCopier.digest(target(job), key))) {
        refusal = "a derivative's copy differs from its source";
      }
    }
    if (refusal != null) {
      removeCopy(job);
      LOG.warnf("move %s refused: %s; the source is kept", job.id(), refusal);
      return new Transition(MoveState.REFUSED, refusal, Instant.now(), null, false);
    }
    return next(MoveState.VERIFIED);
  }

  private Transition requestSwitch(MoveJob job) {
    publisher.publish(event(job));
    return next(MoveState.SWITCH_REQUESTED);
  }

  private Transition awaitSwitch(MoveJob job) throws SQLException, StorageException {
    Optional<IndexedInstance> now = index.ofInstance(job.tenant(), job.sopInstanceUid());
    if (now.isPresent() && pointsAt(now.get(), job, job.toBucket())) {
      Instant at = Instant.now();
      return new Transition(
          MoveState.SWITCHED, null, at.plus(config.sourceDeleteGrace()), at, false);
    }
    if (now.isPresent() && pointsAt(now.get(), job, job.fromBucket())) {
      // Not applied yet: the event is durable in Kafka, the index applies it when it gets there.
      return new Transition(
          MoveState.SWITCH_REQUESTED,
          "waiting for the index",
          Instant.now().plus(config.worker().indexPoll()),
          null,
          false);
    }
    // Deleted, or a newer version stored meanwhile: the index will never take this copy.
    removeCopy(job);
    return new Transition(
        MoveState.ROLLED_BACK,
        "the index no longer points at the source (deleted or a newer version)",
        Instant.now(),
        null,
        false);
  }

  private Transition deleteSource(MoveJob job) throws SQLException, StorageException {
    Optional<IndexedInstance> now = index.ofInstance(job.tenant(), job.sopInstanceUid());
    if (now.isPresent() && now.get().bucket().equals(job.fromBucket())) {
      // Never happens by this service's own hand; if it does, the source is what is read: keep it.
      return new Transition(
          MoveState.ROLLED_BACK,
          "the index points at the source again; nothing deleted",
          Instant.now(),
          null,
          false);
    }
    if (holds.inForce(job.tenant(), job.studyUid()).isPresent()) {
      // A legal hold: no object of the study is deleted, the source included, until it is lifted.
      return new Transition(
          MoveState.SWITCHED,
          "legal hold: the source is kept until the hold is lifted",
          Instant.now().plus(HOLD_RECHECK),
          null,
          false);
    }
    for (String key : keys(job)) {
      source(job).delete(key);
    }
    LOG.debugf("move %s done: %s -> %s", job.id(), job.fromTier(), job.toTier());
    return next(MoveState.DONE);
  }

  /** Removes the copy of a move that will not happen (the index never pointed at it). */
  private void removeCopy(MoveJob job) throws StorageException {
    for (String key : keys(job)) {
      target(job).delete(key);
    }
  }

  private static boolean pointsAt(IndexedInstance i, MoveJob job, String bucket) {
    return i.version() == job.version()
        && bucket.equals(i.bucket())
        && job.objectKey().equals(i.objectKey());
  }

  /** The event's id derives from the job's, so a step repeated after a crash sends the same one. */
  static InstanceMoved event(MoveJob job) {
    return new InstanceMoved(
        UUID.nameUUIDFromBytes(("moved:" + job.id()).getBytes(StandardCharsets.UTF_8)).toString(),
        Instant.now(),
        job.tenant(),
        job.studyUid(),
        job.seriesUid(),
        job.sopInstanceUid(),
        job.version(),
        job.id().toString(),
        job.fromTier(),
        location(job, job.fromBucket()),
        job.toTier(),
        location(job, job.toBucket()));
  }

  private static ObjectLocation location(MoveJob job, String bucket) {
    return new ObjectLocation(
        bucket, job.objectKey(), job.size(), job.sha256(), job.sidecarKey(), job.frameIndexKey());
  }

  private ObjectStore source(MoveJob job) {
    return storage.store(storage.tiers().named(job.fromTier()).orElseThrow(() -> noTier(job)));
  }

  private ObjectStore target(MoveJob job) {
    return storage.store(storage.tiers().named(job.toTier()).orElseThrow(() -> noTier(job)));
  }

  private static IllegalStateException noTier(MoveJob job) {
    return new IllegalStateException("tier of move " + job.id() + " is no longer configured");
  }

  private static List<String> keys(MoveJob job) {
    List<String> keys = new ArrayList<>();
    keys.add(job.objectKey());
    keys.addAll(derivatives(job));
    return keys;
  }

  private static List<String> derivatives(MoveJob job) {
    List<String> keys = new ArrayList<>();
    if (job.sidecarKey() != null) {
      keys.add(job.sidecarKey());
    }
    if (job.frameIndexKey() != null) {
      keys.add(job.frameIndexKey());
    }
    return keys;
  }

  private Duration backoff(int attempts) {
    Duration wait = Duration.ofSeconds(1L << Math.min(attempts, 16));
    return wait.compareTo(config.worker().maxBackoff()) > 0 ? config.worker().maxBackoff() : wait;
  }

  private static Transition next(MoveState state) {
    return new Transition(state, null, Instant.now(), null, false);
  }
}
