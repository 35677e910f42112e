package org.strata.events;

import java.time.Instant;
import java.util.List;

/**
 * An instance, a series or a whole study was deleted from the index; its objects are to be removed
 * from storage. One event per request (not per instance) so a study deletion is atomic for
 * consumers.
 *
 * @param seriesInstanceUid required for INSTANCE and SERIES scope, null for STUDY
 * @param sopInstanceUid required for INSTANCE scope, null otherwise
 * @param objects every stored object to remove, all versions included
 * @param reason free-text reason given by the requester, may be null
 * @param requestedBy the user or client that asked for the deletion
 */
public record InstanceDeleted(
    String eventId,
    Instant occurredAt,
    String tenant,
    Scope scope,
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopInstanceUid,
    List<ObjectLocation> objects,
    String reason,
    String requestedBy)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  /** What was deleted. */
  public enum Scope {
    INSTANCE,
    SERIES,
    STUDY
  }

  public InstanceDeleted {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.nonNull(scope, "scope");
    Require.uid(studyInstanceUid, "studyInstanceUid");
    // The UIDs must match the scope exactly, so a consumer never has to guess what was meant.
    switch (scope) {
      case INSTANCE -> {
        Require.uid(seriesInstanceUid, "seriesInstanceUid");
        Require.uid(sopInstanceUid, "sopInstanceUid");
      }
      case SERIES -> {
        Require.uid(seriesInstanceUid, "seriesInstanceUid");
        Require.absent(sopInstanceUid, "sopInstanceUid", "for SERIES scope");
      }
      case STUDY -> {
        Require.absent(seriesInstanceUid, "seriesInstanceUid", "for STUDY scope");
        Require.absent(sopInstanceUid, "sopInstanceUid", "for STUDY scope");
      }
    }
    objects = Require.list(objects, "objects");
    Require.nonBlank(requestedBy, "requestedBy");
  }
}
