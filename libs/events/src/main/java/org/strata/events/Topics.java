package org.strata.events;

import static org.strata.events.Topic.CleanupPolicy.COMPACT;
import static org.strata.events.Topic.CleanupPolicy.DELETE;

import java.time.Duration;
import java.util.List;

/**
 * The one catalogue of Strata's Kafka topics. Services create and reference topics only through
 * these constants, so a name exists in exactly one place.
 *
 * <p>Partition counts are chosen once: Kafka can add partitions but never remove them, and adding
 * them remaps keys, which breaks per-study ordering for records already in flight. 12 divides
 * evenly by 1, 2, 3, 4, 6 and 12, so a consumer group of any of those sizes gets an even share; the
 * low-volume topics use 6 and 3 for the same reason at a smaller scale.
 */
public final class Topics {

  private static final String STUDY_KEY = "StudyInstanceUID";

  /** {@link InstanceStored}: an instance was written to object storage by ingest. */
  public static final Topic INSTANCE_STORED =
      new Topic(
          "strata.instance.stored",
          12,
          Duration.ofDays(14),
          DELETE,
          STUDY_KEY,
          "InstanceStored events from ingest; longest retention so the index can be rebuilt");

  /** {@link InstanceIndexed}: an instance became queryable. */
  public static final Topic INSTANCE_INDEXED =
      new Topic(
          "strata.instance.indexed",
          12,
          Duration.ofDays(7),
          DELETE,
          STUDY_KEY,
          "InstanceIndexed events from index");

  /** {@link StudyUpdated}: study-level aggregates changed. */
  public static final Topic STUDY_UPDATED =
      new Topic(
          "strata.study.updated",
          12,
          Duration.ofDays(7),
          DELETE,
          STUDY_KEY,
          "StudyUpdated events from index");

  /** {@link InstanceDeleted}: an instance, series or study was deleted (see its scope). */
  public static final Topic INSTANCE_DELETED =
      new Topic(
          "strata.instance.deleted",
          12,
          Duration.ofDays(30),
          DELETE,
          STUDY_KEY,
          "InstanceDeleted events (instance, series or study scope) from the index admin API");

  /**
   * {@link InstanceMoved}: storage-tiering verified a copy of an instance on another tier; index
   * switches the instance's location to it.
   */
  public static final Topic INSTANCE_MOVED =
      new Topic(
          "strata.instance.moved",
          12,
          Duration.ofDays(14),
          DELETE,
          STUDY_KEY,
          "InstanceMoved events from storage-tiering; index switches the location");

  /** {@link AuditRecord}: audit trail, kept longer than a year so yearly reviews can replay it. */
  public static final Topic AUDIT_RECORD =
      new Topic(
          "strata.audit.record",
          6,
          Duration.ofDays(400),
          DELETE,
          "event id",
          "AuditRecord events from every service");

  /**
   * {@link PatientLinksChanged}: a patient link's membership after each change, keyed by link id.
   * Compacted and kept forever: the latest record of every link is the link's state, from which the
   * links can be restored (they are not in the S3 sidecars a rebuild reads).
   */
  public static final Topic PATIENT_LINKS =
      new Topic(
          "strata.patient.links",
          3,
          null,
          COMPACT,
          "link id",
          "PatientLinksChanged events from the index admin API; latest per link is its state");

  /**
   * {@link LegalHoldChanged}: legal holds placed and lifted in storage-tiering, keyed by hold.
   * Compacted and kept forever: the latest record of a hold is its state, which index keeps in its
   * own table to refuse deleting a held study (ADR 0043).
   */
  public static final Topic LEGAL_HOLDS =
      new Topic(
          "strata.legal.holds",
          3,
          null,
          COMPACT,
          "hold (tenant, study or patient)",
          "LegalHoldChanged events from storage-tiering; latest per hold is its state");

  /** Records the index could not process, as they were received, for operators to inspect. */
  public static final Topic INDEX_DEAD_LETTER =
      new Topic(
          "strata.index.dead-letter",
          3,
          Duration.ofDays(30),
          DELETE,
          "original record key",
          "Records the index gave up on, with the original key and payload");

  /**
   * {@link RoutingJob}s of STAT priority, keyed by destination: routing's queue that is always
   * drained before {@link #ROUTING_JOBS_ROUTINE} (ADR 0029). Retention covers the longest backoff.
   */
  public static final Topic ROUTING_JOBS_STAT =
      new Topic(
          "strata.routing.jobs.stat",
          6,
          Duration.ofDays(14),
          DELETE,
          "destination",
          "RoutingJob records of STAT priority from routing (new jobs and retries)");

  /** {@link RoutingJob}s of ROUTINE priority, keyed by destination (ADR 0029). */
  public static final Topic ROUTING_JOBS_ROUTINE =
      new Topic(
          "strata.routing.jobs.routine",
          6,
          Duration.ofDays(14),
          DELETE,
          "destination",
          "RoutingJob records of ROUTINE priority from routing (new jobs and retries)");

  /** {@link RoutingJob}s routing gave up on, with the last reason, for operators to retry. */
  public static final Topic ROUTING_DEAD_LETTER =
      new Topic(
          "strata.routing.dead-letter",
          3,
          Duration.ofDays(30),
          DELETE,
          "destination",
          "RoutingJob records routing gave up on after its attempts, with the last reason");

  private static final List<Topic> ALL =
      List.of(
          INSTANCE_STORED,
          INSTANCE_INDEXED,
          STUDY_UPDATED,
          INSTANCE_DELETED,
          AUDIT_RECORD,
          INDEX_DEAD_LETTER,
          PATIENT_LINKS,
          INSTANCE_MOVED,
          ROUTING_JOBS_STAT,
          ROUTING_JOBS_ROUTINE,
          ROUTING_DEAD_LETTER,
          LEGAL_HOLDS);

  private Topics() {}

  /** Every declared topic, in a stable order. */
  public static List<Topic> all() {
    return ALL;
  }
}
