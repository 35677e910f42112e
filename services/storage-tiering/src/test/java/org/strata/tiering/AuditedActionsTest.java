package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Action;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.LegalHoldChanged;
import org.strata.events.Topics;
import org.strata.testkit.EventTopic;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.audit.AuditTopic;
import org.strata.tiering.TieringTestData.Stored;

/**
 * Holds placed and lifted, and move requests, leave audit records on the real audit topic, and a
 * hold's state is announced on strata.legal.holds for index (ADR 0043). Retention purges' records
 * are checked in {@link RetentionTest}.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class AuditedActionsTest {
  private static final Duration CEILING = Duration.ofMinutes(2);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void aHoldPlacedAndLiftedIsAuditedAndAnnouncedToIndex() throws Exception {
    Stored s = TieringTestData.study(1)[0];
    Instant since = Instant.now();
    String hold = "/admin/tenants/tiering/studies/" + s.study() + "/hold";
    given().put(hold + "?reason=case 7").then().statusCode(200);
    given().delete(hold).then().statusCode(204);
    given().delete(hold).then().statusCode(404);

    List<AuditRecord> got =
        records(since, r -> r.studyInstanceUids().contains(s.study()), 2).stream()
            .sorted(java.util.Comparator.comparing(AuditRecord::occurredAt))
            .toList();
    assertEquals(
        List.of("legal hold placed", "legal hold lifted"),
        got.stream().map(AuditRecord::detail).toList());
    for (AuditRecord r : got) {
      assertEquals(AuditEventTypes.INSTANCES_ACCESSED, r.eventType());
      assertEquals(Action.U, r.action());
      assertEquals(Channels.ADMIN_API, r.channel());
      assertEquals("tiering", r.tenant());
      assertEquals("local", r.actor(), "who");
      assertEquals("reason=case 7", r.query(), "the reason, where PHI may be");
    }

    List<LegalHoldChanged> announced =
        new EventTopic<>(bootstrap, Topics.LEGAL_HOLDS, LegalHoldChanged.class)
            .readAll(e -> s.study().equals(e.studyInstanceUid()));
    assertEquals(List.of(true, false), announced.stream().map(LegalHoldChanged::inForce).toList());
    assertEquals("case 7", announced.get(0).reason());
    assertEquals("tiering/study/" + s.study(), announced.get(1).key(), "one key per hold");
  }

  @Test
  void aPatientHoldIsAuditedWithItsPatient() throws Exception {
    TieringTestData.study(1); // the index schema, which a patient hold reads
    String patient = "AUDIT-" + System.nanoTime();
    Instant since = Instant.now();
    given()
        .put("/admin/tenants/tiering/patients/" + patient + "/hold?issuer=HOSP&reason=court")
        .then()
        .statusCode(200);

    List<AuditRecord> got =
        records(
            since,
            r ->
                r.patients() != null
                    && r.patients().contains(new AuditRecord.PatientRef(patient, "HOSP")),
            1);
    assertEquals("legal hold placed", got.get(0).detail());
    assertEquals(
        1,
        new EventTopic<>(bootstrap, Topics.LEGAL_HOLDS, LegalHoldChanged.class)
            .readAll(e -> patient.equals(e.patientId()) && "HOSP".equals(e.issuerOfPatientId()))
            .size());
  }

  @Test
  void aMoveRequestIsRecordedPerStudyWithItsTiersAndCount() throws Exception {
    Stored[] s = TieringTestData.study(2);
    Instant since = Instant.now();
    given()
        .post("/admin/tenants/tiering/studies/" + s[0].study() + "/moves?tier=cold")
        .then()
        .statusCode(202);

    List<AuditRecord> got = records(since, r -> r.studyInstanceUids().contains(s[0].study()), 1);
    assertEquals(1, got.size(), got.toString());
    AuditRecord r = got.get(0);
    assertEquals(AuditEventTypes.INSTANCES_ACCESSED, r.eventType());
    assertEquals(Action.U, r.action());
    assertEquals("tier move from hot to cold: 2 instances", r.detail());
    assertEquals(Channels.ADMIN_API, r.channel());
    assertEquals("tiering", r.tenant());
  }

  @Test
  void aPolicyChangeIsRecordedWithItsNameAndVersion() {
    String name = "audited-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Instant since = Instant.now();
    given()
        .contentType("application/json")
        .body("{\"since\": \"ingest\", \"olderThan\": \"P10Y\", \"toTier\": \"cold\"}")
        .put("/admin/tenants/tiering/policies/" + name)
        .then()
        .statusCode(200);

    String detail = "lifecycle policy " + name + " version 1 (disabled)";
    List<AuditRecord> got = records(since, r -> detail.equals(r.detail()), 1);
    assertEquals(1, got.size(), got.toString());
    assertEquals(AuditEventTypes.SECURITY_ALERT, got.get(0).eventType());
    assertEquals(Action.U, got.get(0).action());
    assertEquals(Channels.ADMIN_API, got.get(0).channel());
    assertEquals("tiering", got.get(0).tenant());
  }

  private List<AuditRecord> records(Instant since, Predicate<AuditRecord> match, int expected) {
    return new AuditTopic(bootstrap)
        .await(
            r ->
                "strata-storage-tiering".equals(r.service())
                    && !r.occurredAt().isBefore(since)
                    && match.test(r),
            expected,
            CEILING);
  }
}
