package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.audit.AuditTopic;

/** Admin actions (deletes, patient links, rebuilds) each leave one audit record, on real Kafka. */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class AdminAuditTest extends IndexTestSupport {
  private static final Duration CEILING = Duration.ofMinutes(3);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private List<AuditRecord> records(Instant since, Predicate<AuditRecord> match, int expected) {
    return new AuditTopic(bootstrap)
        .await(
            r ->
                "strata-index".equals(r.service())
                    && !r.occurredAt().isBefore(since)
                    && match.test(r),
            expected,
            CEILING);
  }

  @Test
  void studyAndSeriesDeletesNameTheirPatientAndAnUnknownStudyIsRecordedAsFailed() {
    InstanceStoredMother m = new InstanceStoredMother();
    publish(m.build());
    awaitInstances(m.studyUid, 1);
    Instant since = Instant.now();
    given().delete("/admin/tenants/hosp-a/studies/" + m.studyUid).then().statusCode(202);

    List<AuditRecord> got = records(since, r -> r.studyInstanceUids().contains(m.studyUid), 1);
    assertEquals(1, got.size(), got.toString());
    AuditRecord r = got.get(0);
    assertEquals(AuditEventTypes.STUDY_DELETED, r.eventType());
    assertEquals(AuditRecord.Action.D, r.action());
    assertEquals(Outcome.SUCCESS, r.outcome());
    assertEquals(Channels.ADMIN_API, r.channel());
    assertEquals("hosp-a", r.tenant());
    assertEquals("local", r.actor());
    // The deleted study's patient, read with the objects the delete removes.
    assertEquals(List.of(new AuditRecord.PatientRef(m.patientId, m.issuer)), r.patients());

    InstanceStoredMother s = new InstanceStoredMother();
    publish(s.build());
    awaitInstances(s.studyUid, 1);
    given()
        .delete("/admin/tenants/hosp-a/studies/" + s.studyUid + "/series/" + s.seriesUid)
        .then()
        .statusCode(202);
    List<AuditRecord> series = records(since, x -> x.studyInstanceUids().contains(s.studyUid), 1);
    assertEquals(
        List.of(new AuditRecord.PatientRef(s.patientId, s.issuer)),
        series.get(0).patients(),
        series.toString());

    String unknown = "1.2.3.999999";
    given().delete("/admin/tenants/hosp-a/studies/" + unknown).then().statusCode(404);
    List<AuditRecord> failed = records(since, x -> x.studyInstanceUids().contains(unknown), 1);
    assertEquals(1, failed.size(), failed.toString());
    assertEquals(Outcome.MINOR_FAILURE, failed.get(0).outcome());
  }

  /** A new patient of {@code tenant} with one instance, once the index has it. */
  private InstanceStoredMother indexedPatient(String tenant) {
    InstanceStoredMother m = new InstanceStoredMother();
    m.tenant = tenant;
    publish(m.build());
    awaitInstances(m.studyUid, 1);
    return m;
  }

  /** Links the members through the tenant's admin API (201). */
  private static void link(String tenant, List<Map<String, String>> members) {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("members", members))
        .post("/admin/tenants/" + tenant + "/patient-links")
        .then()
        .statusCode(201);
  }

  @Test
  void aPatientLinkNamingItsPatientsAndARebuildAreRecorded() {
    InstanceStoredMother a = indexedPatient("audit-a");
    InstanceStoredMother b = indexedPatient("audit-a");
    Instant since = Instant.now();
    link("audit-a", List.of(Map.of("patientId", a.patientId), Map.of("patientId", b.patientId)));
    List<AuditRecord> links =
        records(since, r -> AuditEventTypes.PATIENT_RECORD.equals(r.eventType()), 1);
    assertEquals(1, links.size(), links.toString());
    assertEquals("audit-a", links.get(0).tenant());
    assertEquals(AuditRecord.Action.U, links.get(0).action());
    // The link's members as the index holds them, with their issuers (the request named none).
    assertEquals(
        java.util.Set.of(
            new AuditRecord.PatientRef(a.patientId, a.issuer),
            new AuditRecord.PatientRef(b.patientId, b.issuer)),
        java.util.Set.copyOf(links.get(0).patients()),
        links.toString());

    given().post("/admin/rebuilds?tenant=audit-a").then().statusCode(202);
    List<AuditRecord> rebuilds =
        records(since, r -> AuditEventTypes.INSTANCES_ACCESSED.equals(r.eventType()), 1);
    assertEquals(1, rebuilds.size(), rebuilds.toString());
    assertEquals("audit-a", rebuilds.get(0).tenant());
    assertEquals("index rebuild", rebuilds.get(0).detail());
  }

  /** A link across tenants is filed under each tenant, naming that tenant's patient only. */
  @Test
  void aLinkAcrossTenantsIsRecordedUnderEachTenant() {
    InstanceStoredMother x = indexedPatient("audit-x");
    InstanceStoredMother y = indexedPatient("audit-y");
    Instant since = Instant.now();
    link(
        "audit-x",
        List.of(
            Map.of("patientId", x.patientId),
            Map.of("tenant", "audit-y", "patientId", y.patientId, "issuer", y.issuer)));
    List<AuditRecord> links =
        records(
            since,
            r ->
                AuditEventTypes.PATIENT_RECORD.equals(r.eventType())
                    && r.tenant().startsWith("audit-"),
            2);
    assertEquals(2, links.size(), links.toString());
    Map<String, List<AuditRecord.PatientRef>> byTenant =
        links.stream()
            .collect(java.util.stream.Collectors.toMap(AuditRecord::tenant, AuditRecord::patients));
    assertEquals(
        Map.of(
            "audit-x", List.of(new AuditRecord.PatientRef(x.patientId, x.issuer)),
            "audit-y", List.of(new AuditRecord.PatientRef(y.patientId, y.issuer))),
        byTenant,
        links.toString());
  }
}
