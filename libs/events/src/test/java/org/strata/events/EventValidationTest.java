package org.strata.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EventValidationTest {

  private static final String ID = "66666666-6666-4666-8666-666666666666";

  @Test
  void instanceStoredIsKeyedByStudyInstanceUid() {
    assertEquals(Samples.STUDY, Samples.instanceStored().key());
  }

  @Test
  void instanceAndStudyEventsAreKeyedByStudyAuditByEventId() {
    assertEquals(Samples.STUDY, Samples.instanceIndexed().key());
    assertEquals(Samples.STUDY, Samples.studyUpdated().key());
    assertEquals(Samples.STUDY, Samples.instanceDeleted().key());
    AuditRecord audit = Samples.auditRecord();
    assertEquals(audit.eventId(), audit.key());
  }

  @Test
  void aLegalHoldNamesAStudyOrAPatientAndItsKeyNoPatientId() {
    LegalHoldChanged patient = Samples.legalHoldChanged();
    assertTrue(patient.key().startsWith("tenant-a/patient/"), patient.key());
    assertTrue(!patient.key().contains("PAT-1"), "no Patient ID in a record key");
    assertEquals(
        "tenant-a/study/" + Samples.STUDY,
        LegalHoldChanged.ofStudy(
                ID, patient.occurredAt(), "tenant-a", Samples.STUDY, false, null, "a")
            .key());
    assertRejected(
        "a hold names either a study or a patient",
        () ->
            new LegalHoldChanged(
                ID,
                patient.occurredAt(),
                "tenant-a",
                Samples.STUDY,
                "PAT-1",
                null,
                true,
                "r",
                "a"));
    assertRejected(
        "reason",
        () ->
            LegalHoldChanged.ofStudy(
                ID, patient.occurredAt(), "tenant-a", Samples.STUDY, true, " ", "a"));
  }

  @Test
  void instanceStoredRequiresUids() {
    InstanceStored s = Samples.instanceStored();
    assertRejected(
        "studyInstanceUid is required",
        () ->
            new InstanceStored(
                s.eventId(),
                s.occurredAt(),
                s.tenant(),
                " ",
                s.seriesInstanceUid(),
                s.sopInstanceUid(),
                s.sopClassUid(),
                s.transferSyntaxUid(),
                null,
                null,
                null,
                null,
                null,
                s.objectLocation(),
                s.source(),
                1,
                null));
    assertRejected(
        "sopClassUid is required",
        () ->
            new InstanceStored(
                s.eventId(),
                s.occurredAt(),
                s.tenant(),
                s.studyInstanceUid(),
                s.seriesInstanceUid(),
                s.sopInstanceUid(),
                null,
                s.transferSyntaxUid(),
                null,
                null,
                null,
                null,
                null,
                s.objectLocation(),
                s.source(),
                1,
                null));
    assertRejected(
        "version must be >= 1",
        () ->
            new InstanceStored(
                s.eventId(),
                s.occurredAt(),
                s.tenant(),
                s.studyInstanceUid(),
                s.seriesInstanceUid(),
                s.sopInstanceUid(),
                s.sopClassUid(),
                s.transferSyntaxUid(),
                null,
                null,
                null,
                null,
                null,
                s.objectLocation(),
                s.source(),
                0,
                null));
  }

  @Test
  void eventIdMustBeAUuid() {
    assertRejected(
        "eventId must be a UUID",
        () -> new InstanceIndexed("1-2-3-4-5", Samples.AT, "t", "1", "1.1", "1.1.1", ID));
    assertRejected(
        "occurredAt is required",
        () -> new InstanceIndexed(ID, null, "t", "1", "1.1", "1.1.1", ID));
    assertRejected(
        "storedEventId is required",
        () -> new InstanceIndexed(ID, Samples.AT, "t", "1", "1.1", "1.1.1", null));
  }

  @Test
  void objectLocationChecksHashAndSize() {
    assertRejected(
        "objectLocation.sha256 must be 64 lowercase hex",
        () -> new ObjectLocation("b", "k", 1, Samples.SHA256.toUpperCase(), null, null));
    assertRejected(
        "objectLocation.size must be >= 0",
        () -> new ObjectLocation("b", "k", -1, Samples.SHA256, null, null));
    assertRejected(
        "objectLocation.bucket is required",
        () -> new ObjectLocation(null, "k", 1, Samples.SHA256, null, null));
  }

  @Test
  void instanceDeletedUidsMustMatchScope() {
    assertRejected(
        "sopInstanceUid is required", () -> deleted(InstanceDeleted.Scope.INSTANCE, "1.1", null));
    assertRejected(
        "sopInstanceUid must be null for SERIES scope",
        () -> deleted(InstanceDeleted.Scope.SERIES, "1.1", "1.1.1"));
    assertRejected(
        "seriesInstanceUid must be null for STUDY scope",
        () -> deleted(InstanceDeleted.Scope.STUDY, "1.1", null));
    assertRejected("scope is required", () -> deleted(null, null, null));
    deleted(InstanceDeleted.Scope.STUDY, null, null);
    deleted(InstanceDeleted.Scope.SERIES, "1.1", null);
  }

  @Test
  void listsAreCopiedAndRejectNullElements() {
    List<String> modalities = new ArrayList<>(List.of("CT"));
    StudyUpdated e = new StudyUpdated(ID, Samples.AT, "t", "1", 1, 1, modalities);
    modalities.add("MR");

    assertEquals(List.of("CT"), e.modalitiesInStudy(), "defensive copy");
    assertEquals(
        List.of(), new StudyUpdated(ID, Samples.AT, "t", "1", 0, 0, null).modalitiesInStudy());
    assertRejected(
        "modalitiesInStudy must not contain null",
        () -> new StudyUpdated(ID, Samples.AT, "t", "1", 1, 1, Arrays.asList("CT", null)));
    assertRejected(
        "numberOfSeries and numberOfInstances must be >= 0",
        () -> new StudyUpdated(ID, Samples.AT, "t", "1", -1, 0, List.of()));
  }

  @Test
  void auditRecordRequiresActionOutcomeAndActor() {
    assertRejected(
        "action is required",
        () ->
            new AuditRecord(
                ID,
                Samples.AT,
                "t",
                "X",
                null,
                AuditRecord.Outcome.SUCCESS,
                "a",
                null,
                null,
                null));
    assertRejected(
        "actor is required",
        () ->
            new AuditRecord(
                ID,
                Samples.AT,
                "t",
                "X",
                AuditRecord.Action.R,
                AuditRecord.Outcome.MAJOR_FAILURE,
                "",
                null,
                null,
                null));
    assertEquals(12, AuditRecord.Outcome.MAJOR_FAILURE.code());
  }

  @Test
  void patientLinksChangedMembershipMatchesTheChange() {
    PatientLinksChanged.PatientRef a = new PatientLinksChanged.PatientRef("t", "P1", "I");
    PatientLinksChanged.PatientRef b = new PatientLinksChanged.PatientRef("u", "P1", "J");
    assertRejected(
        "members must hold at least 2 patients for LINKED",
        () -> links(PatientLinksChanged.Change.LINKED, List.of(a), null));
    assertRejected(
        "mergedInto is required", () -> links(PatientLinksChanged.Change.MERGED, List.of(), null));
    assertRejected(
        "members must be empty for DISSOLVED",
        () -> links(PatientLinksChanged.Change.DISSOLVED, List.of(a, b), null));
    assertRejected(
        "mergedInto must be null for UNLINKED",
        () -> links(PatientLinksChanged.Change.UNLINKED, List.of(a, b), ID));
    assertRejected(
        "patient.issuer is required", () -> new PatientLinksChanged.PatientRef("t", "P1", " "));
    links(PatientLinksChanged.Change.MERGED, List.of(), ID);
    links(PatientLinksChanged.Change.DISSOLVED, null, null);
  }

  private static PatientLinksChanged links(
      PatientLinksChanged.Change change,
      List<PatientLinksChanged.PatientRef> members,
      String mergedInto) {
    return new PatientLinksChanged(
        ID, Samples.AT, "t", ID, change, members, null, null, mergedInto, null, "admin");
  }

  private static InstanceDeleted deleted(InstanceDeleted.Scope scope, String series, String sop) {
    return new InstanceDeleted(ID, Samples.AT, "t", scope, "1", series, sop, null, null, "admin");
  }

  private static void assertRejected(String messageStart, Executable constructor) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, constructor);
    assertTrue(
        e.getMessage().startsWith(messageStart),
        "expected '" + messageStart + "...' but was '" + e.getMessage() + "'");
  }
}
