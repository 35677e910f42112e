package org.strata.events;

import java.time.Instant;
import java.util.List;

/**
 * One audit trail entry, shaped after the DICOM audit message (PS3.15 A.5) so the audit service can
 * render it as one without lookups.
 *
 * @param eventType DICOM audit event, e.g. "DICOMInstancesTransferred"
 * @param actor user or AE title that acted
 * @param sourceAddress network address the action came from, may be null
 * @param studyInstanceUids studies concerned, may be empty
 * @param detail free text for operators; must never contain PHI (it is not access-controlled)
 * @param service the Strata service that recorded it (the DICOM audit source), e.g. {@code
 *     strata-query}; optional, like every field below (absent in records written before them)
 * @param channel the interface used, one of {@link Channels}
 * @param requester who asked: user or client of a token, or the calling AE of an association
 * @param destination where instances went (C-MOVE destination, routing destination), if any
 * @param patients the patients concerned (ID with issuer); PHI, which is why this topic is read by
 *     the audit service only (storage-tiering reads tenant, study UIDs, type, action, outcome and
 *     time of reads, ADR 0072)
 * @param studies the studies concerned with their SOP classes and instance counts
 * @param query the query keys as received (QIDO query string, C-FIND identifier as DICOM JSON, FHIR
 *     search parameters); PHI
 * @param outcomeDescription why it failed, without PHI; absent on success
 */
public record AuditRecord(
    String eventId,
    Instant occurredAt,
    String tenant,
    String eventType,
    Action action,
    Outcome outcome,
    String actor,
    String sourceAddress,
    List<String> studyInstanceUids,
    String detail,
    String service,
    String channel,
    Participant requester,
    Participant destination,
    List<PatientRef> patients,
    List<StudyRef> studies,
    String query,
    String outcomeDescription)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  /** DICOM EventActionCode: Create, Read, Update, Delete, Execute. */
  public enum Action {
    C,
    R,
    U,
    D,
    E
  }

  /** DICOM EventOutcomeIndicator. */
  public enum Outcome {
    SUCCESS(0),
    MINOR_FAILURE(4),
    SERIOUS_FAILURE(8),
    MAJOR_FAILURE(12);

    private final int code;

    Outcome(int code) {
      this.code = code;
    }

    /** The numeric code DICOM audit messages use. */
    public int code() {
      return code;
    }
  }

  /**
   * A party of the event (DICOM ActiveParticipant).
   *
   * @param subject user name, client id or AE title
   * @param roles the Strata roles it held, empty for DIMSE peers
   * @param callingAe the calling AE title for DIMSE, else absent
   * @param address the network address (IP or host name)
   */
  public record Participant(String subject, List<String> roles, String callingAe, String address) {
    public Participant {
      Require.nonBlank(subject, "participant.subject");
      roles = Require.list(roles, "participant.roles");
    }
  }

  /** A patient concerned: Patient ID and its Issuer of Patient ID (may be absent). */
  public record PatientRef(String id, String issuer) {
    public PatientRef {
      Require.nonBlank(id, "patient.id");
    }
  }

  /** A study concerned, with what of it was touched. */
  public record StudyRef(
      String studyInstanceUid, String accessionNumber, List<SopClassCount> sopClasses) {
    public StudyRef {
      Require.uid(studyInstanceUid, "study.studyInstanceUid");
      sopClasses = Require.list(sopClasses, "study.sopClasses");
    }

    /** Instances of the study touched, over every SOP class. */
    public int instanceCount() {
      return sopClasses.stream().mapToInt(SopClassCount::count).sum();
    }
  }

  /** How many instances of one SOP class. */
  public record SopClassCount(String sopClassUid, int count) {
    public SopClassCount {
      Require.uid(sopClassUid, "sopClass.sopClassUid");
      if (count < 0) {
        throw new IllegalArgumentException("sopClass.count must not be negative");
      }
    }
  }

  /** The interfaces a record names in {@code channel}. */
  public static final class Channels {
    public static final String STOW_RS = "STOW-RS";
    public static final String C_STORE = "C-STORE";
    public static final String QIDO_RS = "QIDO-RS";
    public static final String WADO_RS = "WADO-RS";
    public static final String WADO_URI = "WADO-URI";
    public static final String FHIR = "FHIR";
    public static final String C_FIND = "C-FIND";
    public static final String C_MOVE = "C-MOVE";
    public static final String C_GET = "C-GET";
    public static final String ADMIN_API = "ADMIN-API";
    public static final String ROUTING = "ROUTING";
    public static final String SERVICE = "SERVICE";

    /** The audit service's own API (verification, export, AuditEvent search, reports). */
    public static final String AUDIT_API = "AUDIT-API";

    private Channels() {}
  }

  /** The record with the optional fields of its first version only (what v1 producers wrote). */
  public AuditRecord(
      String eventId,
      Instant occurredAt,
      String tenant,
      String eventType,
      Action action,
      Outcome outcome,
      String actor,
      String sourceAddress,
      List<String> studyInstanceUids,
      String detail) {
    this(
        eventId,
        occurredAt,
        tenant,
        eventType,
        action,
        outcome,
        actor,
        sourceAddress,
        studyInstanceUids,
        detail,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public AuditRecord {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.nonBlank(eventType, "eventType");
    Require.nonNull(action, "action");
    Require.nonNull(outcome, "outcome");
    Require.nonBlank(actor, "actor");
    studyInstanceUids = Require.list(studyInstanceUids, "studyInstanceUids");
    // Absent stays absent (null), so records written before these fields re-encode unchanged.
    patients = patients == null ? null : Require.list(patients, "patients");
    studies = studies == null ? null : Require.list(studies, "studies");
  }
}
