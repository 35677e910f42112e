package org.strata.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;

/** Audit records as the services write them, each with a new id; change fields, then build. */
final class AuditRecordMother {
  String tenant = "local";
  String eventType = AuditEventTypes.QUERY;
  AuditRecord.Action action = AuditRecord.Action.E;
  AuditRecord.Outcome outcome = AuditRecord.Outcome.SUCCESS;
  String actor = "reader";
  String channel = AuditRecord.Channels.QIDO_RS;
  String patientId = "PAT-" + UUID.randomUUID().toString().substring(0, 8);
  String issuer = "HOSP";
  String studyUid =
      "1.2.826.0.1.3680043.10.1137."
          + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L);
  Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  AuditRecord build() {
    return new AuditRecord(
        UUID.randomUUID().toString(),
        occurredAt,
        tenant,
        eventType,
        action,
        outcome,
        actor,
        "127.0.0.1",
        List.of(studyUid),
        "test record",
        "strata-query",
        channel,
        new AuditRecord.Participant(actor, List.of("strata-reader"), null, "127.0.0.1"),
        null,
        List.of(new AuditRecord.PatientRef(patientId, issuer)),
        List.of(
            new AuditRecord.StudyRef(
                studyUid,
                null,
                List.of(new AuditRecord.SopClassCount("1.2.840.10008.5.1.4.1.1.2", 3)))),
        "PatientID=" + patientId,
        null);
  }

  /** n records of this shape, each with its own id. */
  List<AuditRecord> build(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> build()).toList();
  }
}
