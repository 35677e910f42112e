package org.strata.tiering.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Action;
import org.strata.events.AuditRecord.Outcome;
import org.strata.tiering.service.StudyReads.StudyKey;

/** Which audit records are reads of a study (no Quarkus): ADR 0072. */
class StudyReadsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void onlySuccessfulReadsAndExportsCountEachStudyOnceWithItsLatestRead() {
    StudyReads reads = new StudyReads();
    reads.add(
        record(AuditEventTypes.INSTANCES_TRANSFERRED, Action.R, Outcome.SUCCESS, "1.2.1", 10), NOW);
    reads.add(
        record(AuditEventTypes.INSTANCES_TRANSFERRED, Action.R, Outcome.SUCCESS, "1.2.1", 30), NOW);
    reads.add(
        record(AuditEventTypes.INSTANCES_TRANSFERRED, Action.R, Outcome.SUCCESS, "1.2.1", 20), NOW);
    reads.add(record(AuditEventTypes.EXPORT, Action.R, Outcome.SUCCESS, "1.2.2", 5), NOW);
    // Not reads: a store, a query, a tier move, a failed read.
    reads.add(
        record(AuditEventTypes.INSTANCES_TRANSFERRED, Action.C, Outcome.SUCCESS, "1.2.3", 1), NOW);
    reads.add(record(AuditEventTypes.QUERY, Action.E, Outcome.SUCCESS, "1.2.3", 1), NOW);
    reads.add(
        record(AuditEventTypes.INSTANCES_ACCESSED, Action.U, Outcome.SUCCESS, "1.2.3", 1), NOW);
    reads.add(
        record(AuditEventTypes.INSTANCES_TRANSFERRED, Action.R, Outcome.MAJOR_FAILURE, "1.2.3", 1),
        NOW);
    // A clock ahead of ours counts as now; a "UID" longer than 64 is not a study.
    reads.add(record(AuditEventTypes.EXPORT, Action.R, Outcome.SUCCESS, "1.2.4", -60), NOW);
    reads.add(record(AuditEventTypes.EXPORT, Action.R, Outcome.SUCCESS, "1".repeat(65), 1), NOW);

    assertEquals(
        Map.of(
            new StudyKey("t", "1.2.1"), NOW.minusSeconds(10),
            new StudyKey("t", "1.2.2"), NOW.minusSeconds(5),
            new StudyKey("t", "1.2.4"), NOW),
        reads.latest());
    assertTrue(new StudyReads().isEmpty());
  }

  /** A record of {@code study}, {@code secondsAgo} before {@link #NOW}. */
  private static AuditRecord record(
      String type, Action action, Outcome outcome, String study, long secondsAgo) {
    return new AuditRecord(
        UUID.randomUUID().toString(),
        NOW.minusSeconds(secondsAgo),
        "t",
        type,
        action,
        outcome,
        "reader",
        null,
        List.of(study),
        null);
  }
}
