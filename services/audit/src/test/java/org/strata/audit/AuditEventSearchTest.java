package org.strata.audit;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.testkit.PlatformTestResource;

/**
 * FHIR AuditEvent search with the ITI-81 parameters and the patient access report, on records of
 * one patient in the auditor's tenant, the same patient in another tenant and another patient.
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class AuditEventSearchTest extends AuditTestSupport {
  private AuditRecord query;
  private AuditRecord failedRead;
  private AuditRecordMother patient;

  @BeforeEach
  void records() throws Exception {
    patient = new AuditRecordMother();
    patient.occurredAt = Instant.parse("2026-03-10T10:00:00Z");
    query = patient.build();
    AuditRecordMother read = copy(patient);
    read.occurredAt = Instant.parse("2026-03-12T09:30:00Z");
    read.eventType = AuditEventTypes.INSTANCES_TRANSFERRED;
    read.action = AuditRecord.Action.R;
    read.outcome = AuditRecord.Outcome.MAJOR_FAILURE;
    read.actor = "viewer2";
    read.channel = AuditRecord.Channels.WADO_RS;
    failedRead = read.build();
    AuditRecordMother otherTenant = copy(patient);
    otherTenant.tenant = "hospital-b";
    AuditRecordMother otherPatient = new AuditRecordMother();
    otherPatient.occurredAt = patient.occurredAt;
    publishAndAwait(List.of(query, failedRead, otherTenant.build(), otherPatient.build()));
  }

  @Test
  void aPatientsEventsAreFoundInTheAuditorsTenantsOnly() {
    assertEquals(
        List.of(failedRead.eventId(), query.eventId()),
        ids(search(Map.of("patient.identifier", patient.issuer + "|" + patient.patientId))));
    assertEquals(
        List.of(failedRead.eventId(), query.eventId()),
        ids(search(Map.of("patient.identifier", patient.patientId))));
    assertEquals(
        List.of(), ids(search(Map.of("patient.identifier", "OTHER|" + patient.patientId))));
  }

  @Test
  void eachIti81ParameterNarrowsTheAnswer() {
    String p = patient.issuer + "|" + patient.patientId;
    assertEquals(
        List.of(failedRead.eventId()),
        ids(search(Map.of("patient.identifier", p, "date", "ge2026-03-11"))));
    assertEquals(
        List.of(query.eventId()),
        ids(search(Map.of("patient.identifier", p, "date", "2026-03-10"))));
    assertEquals(
        List.of(query.eventId()), ids(search(Map.of("patient.identifier", p, "type", "110112"))));
    assertEquals(
        List.of(failedRead.eventId()),
        ids(search(Map.of("patient.identifier", p, "subtype", "WADO-RS"))));
    assertEquals(
        List.of(failedRead.eventId()),
        ids(search(Map.of("patient.identifier", p, "outcome", "12"))));
    assertEquals(
        List.of(failedRead.eventId()),
        ids(search(Map.of("patient.identifier", p, "agent", "viewer2"))));
    assertEquals(
        List.of(query.eventId()),
        ids(search(Map.of("entity", "urn:oid:" + patient.studyUid, "type", "110112"))));
    assertEquals(2, ids(search(Map.of("patient.identifier", p, "source", "strata-query"))).size());
  }

  @Test
  void pagesFollowTheirNextLink() {
    JsonPath first = search(Map.of("patient.identifier", patient.patientId, "_count", "1"));
    assertEquals(List.of(failedRead.eventId()), ids(first));
    String next = first.getString("link.find { it.relation == 'next' }.url");
    JsonPath second =
        asAuditor().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().jsonPath();
    assertEquals(List.of(query.eventId()), ids(second));
  }

  @Test
  void anAuditEventIsShapedByBalp() {
    JsonPath bundle = search(Map.of("patient.identifier", patient.patientId, "type", "110112"));
    Map<String, Object> event = bundle.getMap("entry[0].resource");
    assertEquals("AuditEvent", event.get("resourceType"));
    JsonPath e = new JsonPath(bundle.prettify()).setRootPath("entry[0].resource");
    assertEquals("110112", e.getString("type.code"));
    assertEquals("http://dicom.nema.org/resources/ontology/DCM", e.getString("type.system"));
    assertEquals("E", e.getString("action"));
    assertEquals("0", e.getString("outcome"));
    assertEquals(
        patient.patientId,
        e.getString("entity.find { it.role.code == '1' }.what.identifier.value"));
    assertEquals(
        patient.issuer, e.getString("entity.find { it.role.code == '1' }.what.identifier.system"));
    assertEquals("reader", e.getString("agent.find { it.requestor == true }.who.identifier.value"));
    assertEquals("strata-query", e.getString("source.observer.identifier.value"));
  }

  @Test
  void badParametersAreRefusedAndReadersForbidden() {
    asAuditor()
        .queryParam("date", "yesterday")
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(400)
        .body(containsString("date"));
    asAuditor().queryParam("patient", "x").get("/fhir/AuditEvent").then().statusCode(400);
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(tokens().user("reader"))
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(403);
  }

  @Test
  void thePatientAccessReportListsWhoAccessedThePatient() {
    String p = patient.issuer + "|" + patient.patientId;
    JsonPath report =
        asAuditor()
            .queryParam("patient", p)
            .queryParam("from", "2026-03-01")
            .queryParam("to", "2026-03-31")
            .get("/audit/patient-access")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(List.of("viewer2", "reader"), report.getList("accesses.who"));
    assertEquals(List.of(12, 0), report.getList("accesses.outcome"));
    assertEquals(false, report.getBoolean("truncated"));
    assertEquals(
        List.of(),
        asAuditor()
            .queryParam("patient", p)
            .queryParam("to", "2026-03-09")
            .get("/audit/patient-access")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("accesses"));

    String csv =
        asAuditor()
            .queryParam("patient", p)
            .queryParam("format", "csv")
            .get("/audit/patient-access")
            .then()
            .statusCode(200)
            .contentType(containsString("text/csv"))
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertEquals(3, lines.size(), csv);
    assertTrue(lines.get(0).startsWith("when,tenant,who"), csv);
    assertTrue(lines.get(1).contains("\"viewer2\"") && lines.get(1).contains("\"WADO-RS\""), csv);
  }

  private static JsonPath search(Map<String, String> parameters) {
    return asAuditor()
        .queryParams(parameters)
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static List<String> ids(JsonPath bundle) {
    List<String> ids = bundle.getList("entry.resource.id");
    return ids == null ? List.of() : ids;
  }

  private static AuditRecordMother copy(AuditRecordMother m) {
    AuditRecordMother c = new AuditRecordMother();
    c.tenant = m.tenant;
    c.patientId = m.patientId;
    c.issuer = m.issuer;
    c.studyUid = m.studyUid;
    c.occurredAt = m.occurredAt;
    return c;
  }
}
