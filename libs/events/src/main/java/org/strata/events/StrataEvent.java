package org.strata.events;

import java.time.Instant;

/**
 * An event published on one of the {@link Topics}. The hierarchy is sealed so that the codec, the
 * key choice and the golden-file tests see every type, and the compiler flags a new type that one
 * of them forgets.
 *
 * <p>Each implementation declares {@code public static final int SCHEMA_VERSION}: the version it
 * writes. Bumping it requires an {@link Upcaster} from the previous version and a golden file (see
 * README).
 */
public sealed interface StrataEvent
    permits InstanceStored,
        InstanceIndexed,
        StudyUpdated,
        InstanceDeleted,
        AuditRecord,
        PatientLinksChanged,
        InstanceMoved,
        RoutingJob,
        LegalHoldChanged {

  /** Unique id of this event (a UUID string); consumers use it to de-duplicate redeliveries. */
  String eventId();

  /** When the fact happened, not when it was published. */
  Instant occurredAt();

  /** Tenant the event belongs to. */
  String tenant();

  /**
   * The Kafka record key. Instance and study events are keyed by StudyInstanceUID so that all
   * events of one study land on one partition, in order; audit records have no ordering need and
   * are keyed by their id to spread evenly; patient link changes by link id, so that the latest
   * event of a link is its state on the compacted topic; routing jobs by destination, so that one
   * destination's queue is one partition, in order; legal holds by the hold, so that the latest
   * event of a hold is its state on the compacted topic.
   */
  default String key() {
    return switch (this) {
      case InstanceStored e -> e.studyInstanceUid();
      case InstanceIndexed e -> e.studyInstanceUid();
      case StudyUpdated e -> e.studyInstanceUid();
      case InstanceDeleted e -> e.studyInstanceUid();
      case AuditRecord e -> e.eventId();
      case PatientLinksChanged e -> e.linkId();
      case InstanceMoved e -> e.studyInstanceUid();
      case RoutingJob e -> e.destination();
      case LegalHoldChanged e -> e.holdKey();
    };
  }
}
