package org.strata.events;

import java.time.Instant;

/**
 * Storage-tiering copied an instance's objects to another tier and verified the copy (size and
 * SHA-256 against what ingest recorded): the index is to point the instance at {@code to}, but only
 * if it still points at {@code from} (a compare-and-set, so a replay, a newer object version or a
 * deletion in between leaves the index as it is). Storage-tiering deletes the source only once the
 * index shows {@code to}.
 *
 * @param version the object version that was moved (the index switches only that version)
 * @param moveId storage-tiering's job id, for the logs of both sides
 * @param fromTier the tier the objects were read from
 * @param from where the index pointed when the move began
 * @param toTier the tier the objects were copied to
 * @param to the verified copy: same keys, the target tier's bucket
 */
public record InstanceMoved(
    String eventId,
    Instant occurredAt,
    String tenant,
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopInstanceUid,
    int version,
    String moveId,
    String fromTier,
    ObjectLocation from,
    String toTier,
    ObjectLocation to)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  public InstanceMoved {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.uid(studyInstanceUid, "studyInstanceUid");
    Require.uid(seriesInstanceUid, "seriesInstanceUid");
    Require.uid(sopInstanceUid, "sopInstanceUid");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    Require.uuid(moveId, "moveId");
    Require.nonBlank(fromTier, "fromTier");
    Require.nonNull(from, "from");
    Require.nonBlank(toTier, "toTier");
    Require.nonNull(to, "to");
    if (!from.sha256().equals(to.sha256()) || from.size() != to.size()) {
      throw new IllegalArgumentException("a move keeps the object's size and sha256");
    }
  }
}
