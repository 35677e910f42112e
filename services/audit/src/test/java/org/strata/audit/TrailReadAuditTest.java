package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/**
 * Reading the audit trail is itself recorded (DICOM Audit Log Used, ADR 0047): each call of the
 * audit API appends one record naming who read, which endpoint, what was asked (the query, with the
 * patient or study looked for) and the outcome, before the answer; it is in the chain when the
 * answer arrives, so nothing is awaited.
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class TrailReadAuditTest extends AuditTestSupport {

  @Test
  void aPatientAccessReportIsRecordedWithItsQuery() throws Exception {
    String patient = "TRAIL-" + UUID.randomUUID();
    asAuditor()
        .queryParam("patient", "HOSP|" + patient)
        .get("/audit/patient-access")
        .then()
        .statusCode(200);

    Row row = onlyRead(patient);
    assertEquals("auditor", row.actor);
    assertEquals("strata-audit", row.service);
    assertEquals("AUDIT-API", row.channel);
    assertEquals("R", row.action);
    assertEquals(0, row.outcome);
    assertEquals("{}", row.patients, "the patient looked for is in the query, not accessed");
    assertTrue(row.canonical.contains("\"detail\":\"/audit/patient-access\""), row.canonical);
    assertTrue(row.canonical.contains("\"query\":\"patient=HOSP%7C" + patient), row.canonical);
  }

  @Test
  void anAuditEventSearchIsRecordedWithItsParameters() throws Exception {
    String patient = "TRAIL-" + UUID.randomUUID();
    String study =
        "1.2.826.0.1.3680043.10.1." + Math.abs(UUID.randomUUID().getLeastSignificantBits());
    asAuditor()
        .queryParam("patient.identifier", "|" + patient)
        .queryParam("entity", "urn:oid:" + study)
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(200);

    Row row = onlyRead(patient);
    assertEquals(0, row.outcome);
    assertTrue(row.canonical.contains("\"detail\":\"/fhir/AuditEvent\""), row.canonical);
    assertTrue(row.canonical.contains("entity=urn%3Aoid%3A" + study), row.canonical);
  }

  @Test
  void aRefusedSearchIsRecordedAsAFailure() throws Exception {
    String patient = "TRAIL-" + UUID.randomUUID();
    asAuditor()
        .queryParam("patient.identifier", patient)
        .queryParam("no-such-parameter", "x")
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(400);

    Row row = onlyRead(patient);
    assertEquals(4, row.outcome);
    assertTrue(row.canonical.contains("\"outcomeDescription\":\"HTTP 400\""), row.canonical);
  }

  @Test
  void aVerificationIsRecordedAndAReadersRefusalIsNot() throws Exception {
    long before = reads("auditor");
    asAuditor().get("/audit/verify").then().statusCode(200);
    assertEquals(before + 1, reads("auditor"));

    long readerBefore = reads("reader");
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(tokens().user("reader"))
        .get("/audit/export")
        .then()
        .statusCode(403);
    assertEquals(readerBefore, reads("reader"), "a refused call read nothing");
  }

  private record Row(
      String actor,
      String service,
      String channel,
      String action,
      int outcome,
      String patients,
      String canonical) {}

  /** The one Audit Log Used record whose query names this patient. */
  private Row onlyRead(String patientId) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT actor, service, channel, action, outcome, patients::text, canonical"
                    + " FROM audit.record WHERE event_type = 'AuditLogUsed'"
                    + " AND position(? in convert_from(canonical, 'UTF8')) > 0")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "no Audit Log Used record names " + patientId);
        Row row =
            new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                new String(rs.getBytes(7), StandardCharsets.UTF_8));
        assertTrue(!rs.next(), "more than one record names " + patientId);
        return row;
      }
    }
  }

  private long reads(String actor) throws SQLException {
    return longQuery(
        "SELECT count(*) FROM audit.record WHERE event_type = 'AuditLogUsed' AND actor = '"
            + actor
            + "'");
  }
}
