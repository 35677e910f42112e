package org.strata.tiering.service;

import java.time.Period;

/**
 * One lifecycle rule: the instances it selects go to {@code toTier}. A policy is identified by its
 * tenant and name; each change through the admin API makes a new {@code version} and keeps the old
 * one in the file's history (ADR 0054).
 *
 * @param name unique within its tenant, shown by the dry-run
 * @param version 1 for a policy as first written, one more for each change
 * @param enabled whether the scheduled evaluation applies it (the dry-run shows every policy)
 * @param tenant only this tenant's studies, or every tenant when null (only the file has those)
 * @param modality only studies with a series of this modality, or any when null
 * @param sopClass only instances of this SOP Class UID, or any when null
 * @param minBytes only instances whose object is at least this many bytes, or any when null
 * @param since what the age counts from
 * @param olderThan the age past which a study moves (ISO-8601 period: P30D, P1Y)
 * @param toTier a configured tier's name
 */
public record LifecyclePolicy(
    String name,
    int version,
    boolean enabled,
    String tenant,
    String modality,
    String sopClass,
    Long minBytes,
    Since since,
    Period olderThan,
    String toTier) {

  /** Where a study's age starts. */
  public enum Since {
    /** Study Date (0008,0020) as indexed; studies without one are never selected. */
    STUDY_DATE,
    /** When the index first saw the study. */
    INGEST,
    /**
     * The study's last successful read or export as the audit trail recorded it ({@code
     * tiering.study_access}, ADR 0072); a study not read since then counts from its ingest.
     */
    ACCESS;

    public String external() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** Whether one instance of a selected study is the policy's (its SOP class and size). */
  public boolean selects(String instanceSopClass, long bytes) {
    return (sopClass == null || sopClass.equals(instanceSopClass))
        && (minBytes == null || bytes >= minBytes);
  }

  public boolean sameIdentity(String otherTenant, String otherName) {
    return java.util.Objects.equals(tenant, otherTenant) && name.equals(otherName);
  }

  public LifecyclePolicy withVersion(int v) {
    return new LifecyclePolicy(
        name, v, enabled, tenant, modality, sopClass, minBytes, since, olderThan, toTier);
  }

  public LifecyclePolicy withEnabled(boolean on) {
    return new LifecyclePolicy(
        name, version, on, tenant, modality, sopClass, minBytes, since, olderThan, toTier);
  }
}
