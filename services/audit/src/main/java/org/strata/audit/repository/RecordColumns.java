package org.strata.audit.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.strata.events.AuditRecord;

/**
 * The searchable copies of a record's fields (columns of {@code audit.record}); the canonical form
 * stays the record. Patients are {@code issuer|id} (the ITI-81 {@code patient.identifier} token
 * form, issuer empty when unknown), studies are Study Instance UIDs.
 */
record RecordColumns(
    UUID eventId,
    Instant occurredAt,
    String tenant,
    String eventType,
    String action,
    int outcome,
    String actor,
    String service,
    String channel,
    List<String> patients,
    List<String> studies) {

  static RecordColumns of(AuditRecord r) {
    List<String> patients = new ArrayList<>();
    if (r.patients() != null) {
      r.patients().forEach(p -> patients.add(patientToken(p.issuer(), p.id())));
    }
    Set<String> studies = new LinkedHashSet<>(r.studyInstanceUids());
    if (r.studies() != null) {
      r.studies().forEach(s -> studies.add(s.studyInstanceUid()));
    }
    return new RecordColumns(
        UUID.fromString(r.eventId()),
        // PostgreSQL keeps microseconds: compare what it can hold.
        r.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        r.tenant(),
        r.eventType(),
        r.action().name(),
        r.outcome().code(),
        r.actor(),
        r.service(),
        r.channel(),
        List.copyOf(patients),
        List.copyOf(studies));
  }

  static String patientToken(String issuer, String id) {
    return (issuer == null ? "" : issuer) + "|" + id;
  }

  /** The first column that differs from {@code expected}'s, or null. */
  String firstDifference(RecordColumns expected) {
    if (!eventId.equals(expected.eventId)) return "event_id";
    if (!occurredAt.equals(expected.occurredAt)) return "occurred_at";
    if (!tenant.equals(expected.tenant)) return "tenant";
    if (!eventType.equals(expected.eventType)) return "event_type";
    if (!action.equals(expected.action)) return "action";
    if (outcome != expected.outcome) return "outcome";
    if (!actor.equals(expected.actor)) return "actor";
    if (!java.util.Objects.equals(service, expected.service)) return "service";
    if (!java.util.Objects.equals(channel, expected.channel)) return "channel";
    if (!patients.equals(expected.patients)) return "patients";
    if (!studies.equals(expected.studies)) return "studies";
    return null;
  }
}
