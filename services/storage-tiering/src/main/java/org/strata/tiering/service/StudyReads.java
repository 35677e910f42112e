package org.strata.tiering.service;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Action;
import org.strata.events.AuditRecord.Outcome;

/**
 * The studies a batch of audit records shows read, each with its latest read: successful reads
 * (WADO-RS, WADO-URI, rendered, metadata, C-GET, C-MOVE: DICOM Instances Transferred, Read) and
 * exports (routing). Stores (Create), queries, tier moves, holds and failures are not reads. A
 * burst of reads of a study is one entry (ADR 0072).
 */
public final class StudyReads {
  /** A tenant's study. */
  public record StudyKey(String tenant, String studyUid) {}

  private static final int MAX_UID = 64;

  private final Map<StudyKey, Instant> latest = new LinkedHashMap<>();

  /**
   * Adds the studies of {@code r} if it is a successful read; a time ahead of now counts as now.
   */
  public void add(AuditRecord r, Instant now) {
    if (!isRead(r)) {
      return;
    }
    Instant at = r.occurredAt().isAfter(now) ? now : r.occurredAt();
    for (String uid : r.studyInstanceUids()) {
      put(r.tenant(), uid, at);
    }
    if (r.studies() != null) {
      for (AuditRecord.StudyRef s : r.studies()) {
        put(r.tenant(), s.studyInstanceUid(), at);
      }
    }
  }

  static boolean isRead(AuditRecord r) {
    return r.outcome() == Outcome.SUCCESS
        && r.action() == Action.R
        && (AuditEventTypes.INSTANCES_TRANSFERRED.equals(r.eventType())
            || AuditEventTypes.EXPORT.equals(r.eventType()));
  }

  private void put(String tenant, String uid, Instant at) {
    // The list of UIDs is not checked by the record: one longer than a UID is not a study.
    if (uid == null || uid.isBlank() || uid.length() > MAX_UID) {
      return;
    }
    latest.merge(new StudyKey(tenant, uid), at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Each study read, with its latest read. */
  public Map<StudyKey, Instant> latest() {
    return latest;
  }

  public boolean isEmpty() {
    return latest.isEmpty();
  }

  /** The studies, for a log line's count. */
  public Collection<StudyKey> studies() {
    return latest.keySet();
  }
}
