package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditRecord;
import org.strata.http.auth.CallerIdentity;

class AuditEntryTest {

  private static final String STUDY = "1.2.826.0.1.3680043.8.498.1";
  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

  /**
   * A hostile path's study ("%20" decodes to a space) reached the record and failed its contract in
   * the response filter: QIDO/WADO answered 500 instead of their 400 (HostileInputTest, query).
   */
  @Test
  void valuesThatAreNotUidsNameNoStudyAndNeverFailTheRecord() {
    AuditRecord record =
        AccessKind.READ
            .entry(CallerIdentity.local("127.0.0.1"), AuditRecord.Channels.WADO_RS)
            .study(" ")
            .study("1.2.x", "ACC")
            .instances("", CT, 1)
            .instances(STUDY, "not a uid", 1)
            .study(STUDY, "ACC-1")
            .instances(STUDY, CT, 2)
            .toRecord("strata-query", "local");

    assertEquals(List.of(STUDY), record.studyInstanceUids());
    AuditRecord.StudyRef study = record.studies().get(0);
    assertEquals("ACC-1", study.accessionNumber());
    assertEquals(List.of(new AuditRecord.SopClassCount(CT, 2)), study.sopClasses());
  }

  /** An operator's reason may name anyone: it goes where PHI may be, never into the detail. */
  @Test
  void aHoldsReasonIsKeptOutOfTheDetail() {
    AuditRecord record =
        AuditEntry.legalHold(
                CallerIdentity.local("127.0.0.1"), AuditRecord.Channels.ADMIN_API, true, "Doe v. X")
            .study(STUDY)
            .toRecord("strata-storage-tiering", "local");

    assertEquals("legal hold placed", record.detail());
    assertEquals("reason=Doe v. X", record.query());
    assertEquals(AuditRecord.Action.U, record.action());
  }
}
