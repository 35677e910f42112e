package org.strata.events;

import java.time.Instant;
import java.util.List;

/**
 * Study-level aggregates changed (instances added or removed). Carries the new totals rather than a
 * delta so that a consumer that missed events still converges on the latest one.
 */
public record StudyUpdated(
    String eventId,
    Instant occurredAt,
    String tenant,
    String studyInstanceUid,
    int numberOfSeries,
    int numberOfInstances,
    List<String> modalitiesInStudy)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  public StudyUpdated {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.uid(studyInstanceUid, "studyInstanceUid");
    if (numberOfSeries < 0 || numberOfInstances < 0) {
      throw new IllegalArgumentException(
          "numberOfSeries and numberOfInstances must be >= 0, got "
              + numberOfSeries
              + " and "
              + numberOfInstances);
    }
    modalitiesInStudy = Require.list(modalitiesInStudy, "modalitiesInStudy");
  }
}
