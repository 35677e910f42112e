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
    String detail)
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

  public AuditRecord {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.nonBlank(eventType, "eventType");
    Require.nonNull(action, "action");
    Require.nonNull(outcome, "outcome");
    Require.nonBlank(actor, "actor");
    studyInstanceUids = Require.list(studyInstanceUids, "studyInstanceUids");
  }
}
