package org.strata.events;

import java.time.Instant;

/**
 * The index has committed an instance, so it is now visible to queries. Lets the query side offer
 * read-your-writes and lets routing act only on queryable data.
 *
 * @param storedEventId the {@link InstanceStored#eventId()} that was indexed
 */
public record InstanceIndexed(
    String eventId,
    Instant occurredAt,
    String tenant,
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopInstanceUid,
    String storedEventId)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  public InstanceIndexed {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.uid(studyInstanceUid, "studyInstanceUid");
    Require.uid(seriesInstanceUid, "seriesInstanceUid");
    Require.uid(sopInstanceUid, "sopInstanceUid");
    Require.uuid(storedEventId, "storedEventId");
  }
}
