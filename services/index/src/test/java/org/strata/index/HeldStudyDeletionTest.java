package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Outcome;
import org.strata.events.LegalHoldChanged;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.audit.AuditTopic;

/**
 * Legal holds announced by storage-tiering on strata.legal.holds (ADR 0043) are kept by index, and
 * its admin deletes refuse a held study with 409 and the hold's reason: a study hold, and a patient
 * hold (the Patient ID under its issuer) for every study of the patient; a lifted hold no longer. A
 * refusal is audited as a failed Study Deleted naming the study and its patient (issue 16).
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class HeldStudyDeletionTest extends IndexTestSupport {

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void aHeldStudyIsNotDeletedUntilItsHoldIsLifted() throws Exception {
    InstanceStoredMother m = new InstanceStoredMother();
    publish(m.build());
    awaitInstances(m.studyUid, 1);
    String study = "/admin/tenants/hosp-a/studies/" + m.studyUid;

    announce(
        LegalHoldChanged.ofStudy(id(), Instant.now(), "hosp-a", m.studyUid, true, "case 7", "a"));
    Instant refused = Instant.now();
    given().delete(study).then().statusCode(409).body("reason", equalTo("legal hold: case 7"));
    // The refusal's record: who tried to delete whose study (the held study's patient).
    List<AuditRecord> records =
        new AuditTopic(bootstrap)
            .await(
                r ->
                    "strata-index".equals(r.service())
                        && !r.occurredAt().isBefore(refused)
                        && r.studyInstanceUids().contains(m.studyUid),
                1,
                Duration.ofMinutes(3));
    assertEquals(1, records.size(), records.toString());
    AuditRecord r = records.get(0);
    assertEquals(AuditEventTypes.STUDY_DELETED, r.eventType());
    assertEquals(Outcome.MINOR_FAILURE, r.outcome());
    assertEquals(List.of(new AuditRecord.PatientRef(m.patientId, m.issuer)), r.patients());
    given()
        .delete(study + "/series/" + m.seriesUid + "/instances/" + m.sopUid)
        .then()
        .statusCode(409);

    announce(LegalHoldChanged.ofStudy(id(), Instant.now(), "hosp-a", m.studyUid, false, null, "a"));
    given().delete(study).then().statusCode(202);
  }

  @Test
  void aPatientHoldHoldsThePatientsStudiesUnderItsIssuerOnly() throws Exception {
    InstanceStoredMother m = new InstanceStoredMother();
    InstanceStoredMother second = m.nextInstance();
    publish(m.build());
    publish(second.build());
    awaitInstances(m.studyUid, 2);
    String series = "/admin/tenants/hosp-a/studies/" + m.studyUid + "/series/" + m.seriesUid;

    announce(
        LegalHoldChanged.ofPatient(
            id(), Instant.now(), "hosp-a", m.patientId, "ELSEWHERE", true, "x", "a"));
    given().delete(series + "/instances/" + second.sopUid).then().statusCode(202);

    LegalHoldChanged everyIssuer =
        LegalHoldChanged.ofPatient(
            id(), Instant.now(), "hosp-a", m.patientId, null, true, "court", "a");
    announce(everyIssuer);
    given().delete(series).then().statusCode(409).body("reason", equalTo("legal hold: court"));

    announce(
        LegalHoldChanged.ofPatient(
            id(), Instant.now(), "hosp-a", m.patientId, null, false, null, "a"));
    given().delete("/admin/tenants/hosp-a/studies/" + m.studyUid).then().statusCode(202);
  }

  /** Publishes a hold's state and waits until index keeps it. */
  private void announce(LegalHoldChanged e) {
    publish(Topics.LEGAL_HOLDS, e);
    await()
        .atMost(WAIT)
        .until(
            () ->
                query(
                        "select count(*) from legal_hold where hold_key = '"
                            + e.holdKey()
                            + "' and in_force = "
                            + e.inForce())
                    .equals("1"));
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
