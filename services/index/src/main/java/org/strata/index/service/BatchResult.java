package org.strata.index.service;

import java.util.List;
import java.util.Map;
import org.strata.events.InstanceStored;
import org.strata.index.repository.IndexRepository.Outcome;
import org.strata.index.repository.IndexRepository.StudyAggregates;

/**
 * What one committed batch did: the outcome of each event (in the batch's order) and each touched
 * study's aggregates after the batch, keyed by tenant and Study Instance UID.
 */
public record BatchResult(List<Applied> applied, Map<StudyKey, StudyState> studies) {

  /** One event and what became of it. */
  public record Applied(InstanceStored event, Outcome outcome) {}

  /** A study of a tenant. */
  public record StudyKey(String tenant, String studyUid) {}

  /**
   * A study's aggregates after the batch, and the last event of the batch that touched it (its id
   * derives the StudyUpdated id).
   */
  public record StudyState(StudyAggregates aggregates, InstanceStored lastEvent) {}
}
