package org.strata.tiering.service;

import java.time.Period;

/**
 * One lifecycle rule: the studies it selects go to {@code toTier}.
 *
 * @param name unique within the file, shown by the dry-run
 * @param enabled whether the scheduled evaluation applies it (the dry-run shows every policy)
 * @param tenant only this tenant's studies, or every tenant when null
 * @param modality only studies with a series of this modality, or any when null
 * @param since what the age counts from
 * @param olderThan the age past which a study moves (ISO-8601 period: P30D, P1Y)
 * @param toTier a configured tier's name
 */
public record LifecyclePolicy(
    String name,
    boolean enabled,
    String tenant,
    String modality,
    Since since,
    Period olderThan,
    String toTier) {

  /** Where a study's age starts. */
  public enum Since {
    /** Study Date (0008,0020) as indexed; studies without one are never selected. */
    STUDY_DATE,
    /** When the index first saw the study. */
    INGEST
  }
}
