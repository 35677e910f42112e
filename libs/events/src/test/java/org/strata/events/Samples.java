package org.strata.events;

import java.time.Instant;
import java.util.List;

/** One valid, fully populated event of each type. */
final class Samples {

  static final String STUDY = "1.2.826.0.1.3680043.8.498.77";
  static final String SERIES = STUDY + ".1";
  static final String SOP = SERIES + ".1";
  static final String SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final Instant AT = Instant.parse("2025-01-02T03:04:05.678901Z");

  private Samples() {}

  static ObjectLocation location() {
    return new ObjectLocation("bucket-a", "studies/77/1.dcm", 1234, SHA256, "sidecar", "frames");
  }

  static InstanceStored.Source source() {
    return new InstanceStored.Source(
        InstanceStored.Channel.DIMSE, "MODALITY", "STRATA", "192.0.2.10", "client-1");
  }

  static InstanceStored instanceStored() {
    return new InstanceStored(
        "11111111-1111-4111-8111-111111111111",
        AT,
        "tenant-a",
        STUDY,
        SERIES,
        SOP,
        "1.2.840.10008.5.1.4.1.1.2",
        "1.2.840.10008.1.2.1",
        "PID-1",
        "ISSUER",
        "ACC-1",
        "CT",
        "20250102",
        location(),
        source(),
        3,
        null);
  }

  static InstanceIndexed instanceIndexed() {
    return new InstanceIndexed(
        "22222222-2222-4222-8222-222222222222",
        AT,
        "tenant-a",
        STUDY,
        SERIES,
        SOP,
        "11111111-1111-4111-8111-111111111111");
  }

  static StudyUpdated studyUpdated() {
    return new StudyUpdated(
        "33333333-3333-4333-8333-333333333333", AT, "tenant-a", STUDY, 2, 5, List.of("CT", "PR"));
  }

  static InstanceDeleted instanceDeleted() {
    return new InstanceDeleted(
        "44444444-4444-4444-8444-444444444444",
        AT,
        "tenant-a",
        InstanceDeleted.Scope.INSTANCE,
        STUDY,
        SERIES,
        SOP,
        List.of(location()),
        "duplicate",
        "admin");
  }

  static AuditRecord auditRecord() {
    return new AuditRecord(
        "55555555-5555-4555-8555-555555555555",
        AT,
        "tenant-a",
        "DICOMInstancesTransferred",
        AuditRecord.Action.C,
        AuditRecord.Outcome.SUCCESS,
        "MODALITY",
        "192.0.2.10",
        List.of(STUDY),
        "stored 1 instance");
  }

  /** A record with every optional field, as the audit library writes them. */
  static AuditRecord fullAuditRecord() {
    return new AuditRecord(
        "55555555-5555-4555-8555-555555555556",
        AT,
        "tenant-a",
        AuditEventTypes.INSTANCES_TRANSFERRED,
        AuditRecord.Action.R,
        AuditRecord.Outcome.MINOR_FAILURE,
        "reader-a",
        "192.0.2.11",
        List.of(STUDY),
        null,
        "strata-query",
        AuditRecord.Channels.C_MOVE,
        new AuditRecord.Participant("VIEWER", List.of(), "VIEWER", "192.0.2.11"),
        new AuditRecord.Participant("WORKSTATION", List.of(), null, "192.0.2.12"),
        List.of(new AuditRecord.PatientRef("PID-1", "HOSP-A")),
        List.of(
            new AuditRecord.StudyRef(
                STUDY,
                "ACC-1",
                List.of(new AuditRecord.SopClassCount("1.2.840.10008.5.1.4.1.1.2", 3)))),
        "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID-1\"]}}",
        "1 of 4 sub-operations failed");
  }

  static PatientLinksChanged patientLinksChanged() {
    PatientLinksChanged.PatientRef a = new PatientLinksChanged.PatientRef("tenant-a", "PID-1", "A");
    PatientLinksChanged.PatientRef b = new PatientLinksChanged.PatientRef("tenant-b", "PID-1", "B");
    return new PatientLinksChanged(
        "66666666-6666-4666-8666-666666666666",
        AT,
        "tenant-a",
        "77777777-7777-4777-8777-777777777777",
        PatientLinksChanged.Change.LINKED,
        List.of(a, b),
        List.of(a, b),
        List.of(),
        null,
        "same person",
        "admin");
  }

  static InstanceMoved instanceMoved() {
    ObjectLocation from = location();
    return new InstanceMoved(
        "88888888-8888-4888-8888-888888888888",
        AT,
        "tenant-a",
        STUDY,
        SERIES,
        SOP,
        2,
        "99999999-9999-4999-8999-999999999999",
        "hot",
        from,
        "cold",
        new ObjectLocation(
            "bucket-cold",
            from.key(),
            from.size(),
            from.sha256(),
            from.sidecarKey(),
            from.frameIndexKey()));
  }

  static LegalHoldChanged legalHoldChanged() {
    return LegalHoldChanged.ofPatient(
        "77777777-7777-4777-8777-777777777777",
        AT,
        "tenant-a",
        "PAT-1",
        "ISSUER",
        true,
        "litigation",
        "admin-a");
  }

  static List<StrataEvent> all() {
    return List.of(
        instanceStored(),
        instanceIndexed(),
        studyUpdated(),
        instanceDeleted(),
        auditRecord(),
        fullAuditRecord(),
        patientLinksChanged(),
        instanceMoved(),
        legalHoldChanged());
  }
}
