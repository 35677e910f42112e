package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.audit.AuditUnavailableException;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.audit.AuditTopic;

/**
 * Every access of the query service's HTTP APIs leaves exactly one audit record on {@code
 * strata.audit.record} (real Kafka), with who, what and the outcome; records made while Kafka is
 * away arrive once when it returns, and a full spool refuses the access (503, ADR 0035). Data set:
 * {@link WadoTestData} (tenant {@code wado}, patient {@code 1CT1}).
 */
@QuarkusTest
@TestProfile(AccessAuditTest.AuditProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3"))
class AccessAuditTest extends WadoTestSupport {
  static final Duration CEILING = Duration.ofMinutes(3);

  /** The CT study's patient as the index holds it. */
  static final AuditRecord.PatientRef PATIENT = new AuditRecord.PatientRef("1CT1", "HOSP-W");

  static final String CT_INSTANCE =
      "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SOP;

  /** Tenant {@code wado}; a spool small enough to fill in a test while Kafka is stopped. */
  public static class AuditProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "strata.query.default-tenant", WadoTestData.TENANT,
          "strata.audit.spool.max-size", "48K",
          "strata.audit.spool.segment-size", "8K");
    }
  }

  static Platform platform() {
    return SharedPlatform.require(Set.of(Component.KAFKA));
  }

  static AuditTopic topic() {
    return new AuditTopic(platform().kafkaBootstrapServers());
  }

  /** The query service's records made since {@code since} that match. */
  static List<AuditRecord> awaitRecords(Instant since, Predicate<AuditRecord> match, int expected) {
    return topic()
        .await(
            r ->
                "strata-query".equals(r.service())
                    && !r.occurredAt().isBefore(since)
                    && match.test(r),
            expected,
            CEILING);
  }

  @Test
  void qidoSearchIsOneQueryRecordWithItsKeysAndTheStudiesAndPatientsFound() {
    Instant since = Instant.now();
    given().when().get("/dicomweb/studies?PatientID=1CT1").then().statusCode(200);

    List<AuditRecord> records = awaitRecords(since, r -> Channels.QIDO_RS.equals(r.channel()), 1);
    assertEquals(1, records.size(), records.toString());
    AuditRecord r = records.get(0);
    assertEquals(AuditEventTypes.QUERY, r.eventType());
    assertEquals(AuditRecord.Action.E, r.action());
    assertEquals(Outcome.SUCCESS, r.outcome());
    assertEquals("wado", r.tenant());
    assertEquals("local", r.actor());
    assertEquals("127.0.0.1", r.requester().address());
    assertEquals("PatientID=1CT1", r.query());
    assertTrue(r.studyInstanceUids().contains(CT_STUDY), r.toString());
    // With its issuer, which the study-level defaults do not return: read from the index rows.
    assertEquals(List.of(PATIENT), r.patients(), r.toString());

    // A series search returns no patient attributes; the record names the patient all the same.
    Instant later = Instant.now();
    given().when().get("/dicomweb/studies/" + CT_STUDY + "/series").then().statusCode(200);
    List<AuditRecord> series =
        awaitRecords(
            later,
            x -> Channels.QIDO_RS.equals(x.channel()) && x.studyInstanceUids().contains(CT_STUDY),
            1);
    assertEquals(1, series.size(), series.toString());
    assertEquals(List.of(PATIENT), series.get(0).patients(), series.toString());
  }

  @Test
  void everyWadoAndFhirReadIsOneRecordNamingTheStudyAndItsPatient() {
    Map<String, String> reads = new HashMap<>();
    reads.put("/dicomweb" + CT_INSTANCE, Channels.WADO_RS);
    reads.put("/dicomweb" + CT_INSTANCE + "/metadata", Channels.WADO_RS);
    reads.put("/dicomweb" + CT_INSTANCE + "/frames/1", Channels.WADO_RS);
    reads.put("/dicomweb" + CT_INSTANCE + "/rendered", Channels.WADO_RS);
    reads.put("/dicomweb" + CT_INSTANCE + "/bulkdata/1328-2560", Channels.WADO_RS);
    reads.put(
        "/dicomweb/wado?requestType=WADO&studyUID="
            + CT_STUDY
            + "&seriesUID="
            + CT_SERIES
            + "&objectUID="
            + CT_SOP
            + "&contentType=application/dicom",
        Channels.WADO_URI);
    reads.put("/fhir/ImagingStudy/" + CT_STUDY, Channels.FHIR);
    for (String path : reads.keySet()) {
      Instant since = Instant.now();
      int status = given().header("Accept", "*/*").when().get(path).then().extract().statusCode();
      assertEquals(200, status, path);
      List<AuditRecord> records =
          awaitRecords(since, r -> r.studyInstanceUids().contains(CT_STUDY), 1);
      assertEquals(1, records.size(), path + ": " + records);
      AuditRecord r = records.get(0);
      assertEquals(reads.get(path), r.channel(), path);
      assertEquals(AuditEventTypes.INSTANCES_TRANSFERRED, r.eventType(), path);
      assertEquals(AuditRecord.Action.R, r.action(), path);
      assertEquals(Outcome.SUCCESS, r.outcome(), path);
      assertEquals(List.of(PATIENT), r.patients(), path + ": the study's patient");
    }
  }

  @Test
  void fhirSearchIsAQueryWithItsParameters() {
    Instant since = Instant.now();
    given().when().get("/fhir/ImagingStudy?patient.identifier=1CT1").then().statusCode(200);
    List<AuditRecord> records = awaitRecords(since, r -> Channels.FHIR.equals(r.channel()), 1);
    assertEquals(1, records.size(), records.toString());
    assertEquals(AuditEventTypes.QUERY, records.get(0).eventType());
    assertEquals("patient.identifier=1CT1", records.get(0).query());
    assertTrue(records.get(0).studyInstanceUids().contains(CT_STUDY), records.toString());
    assertEquals(List.of(PATIENT), records.get(0).patients(), records.toString());
  }

  @Test
  void aFailedReadIsRecordedWithItsOutcome() {
    Instant since = Instant.now();
    String unknown = "1.2.826.0.1.3680043.10.1137.4242";
    given()
        .header("Accept", "*/*")
        .when()
        .get("/dicomweb/studies/" + unknown)
        .then()
        .statusCode(404);
    List<AuditRecord> records =
        awaitRecords(since, r -> r.studyInstanceUids().contains(unknown), 1);
    assertEquals(1, records.size(), records.toString());
    assertEquals(Outcome.MINOR_FAILURE, records.get(0).outcome());
    assertEquals("HTTP 404", records.get(0).outcomeDescription());
  }

  @Test
  void hostileTargetsAreOneSecurityAlertPerSourceAndRuleNotOneEach() {
    Instant since = Instant.now();
    for (int i = 0; i < 3; i++) {
      given()
          .urlEncodingEnabled(false)
          .when()
          .get("/dicomweb/studies?PatientID=%00")
          .then()
          .statusCode(400);
    }
    List<AuditRecord> records =
        awaitRecords(since, r -> AuditEventTypes.SECURITY_ALERT.equals(r.eventType()), 1);
    assertEquals(1, records.size(), records.toString());
    assertEquals(Outcome.MINOR_FAILURE, records.get(0).outcome());
    assertTrue(records.get(0).outcomeDescription().startsWith("hostile input"), records.toString());
  }

  @Test
  void theServiceStartIsRecorded() {
    List<AuditRecord> starts =
        awaitRecords(
            Instant.EPOCH,
            r ->
                AuditEventTypes.APPLICATION_ACTIVITY.equals(r.eventType())
                    && "application start".equals(r.detail()),
            1);
    assertEquals("strata-query", starts.get(0).actor());
  }

  @Inject QueryRetrieveServer scp;

  /** C-FIND (findscu) and C-GET (getscu) each leave one record naming the calling AE. */
  @Test
  void cFindAndCGetAreRecordedWithTheCallingAe(@TempDir Path tmp) throws Exception {
    Instant since = Instant.now();
    String port = String.valueOf(scp.port());
    Dcmtk.run(
        "findscu",
        "-S",
        "-aet",
        "AUDIT-FIND",
        "-aec",
        "STRATA-QR",
        "-k",
        "QueryRetrieveLevel=STUDY",
        "-k",
        "PatientID=1CT1",
        "-k",
        "StudyInstanceUID",
        "127.0.0.1",
        port);
    List<AuditRecord> finds = awaitRecords(since, r -> Channels.C_FIND.equals(r.channel()), 1);
    assertEquals(1, finds.size(), finds.toString());
    assertEquals(AuditEventTypes.QUERY, finds.get(0).eventType());
    assertEquals("AUDIT-FIND", finds.get(0).requester().callingAe());
    assertTrue(finds.get(0).query().contains("1CT1"), finds.get(0).query());
    // The matches of the first page, read before the first response: study and patient.
    assertTrue(finds.get(0).studyInstanceUids().contains(CT_STUDY), finds.toString());
    assertEquals(List.of(PATIENT), finds.get(0).patients(), finds.toString());

    Dcmtk.run(
        "getscu",
        "-S",
        "-aet",
        "AUDIT-GET",
        "-aec",
        "STRATA-QR",
        "+B",
        "-od",
        tmp.toString(),
        "-k",
        "QueryRetrieveLevel=IMAGE",
        "-k",
        "StudyInstanceUID=" + CT_STUDY,
        "-k",
        "SeriesInstanceUID=" + CT_SERIES,
        "-k",
        "SOPInstanceUID=" + CT_SOP,
        "127.0.0.1",
        port);
    List<AuditRecord> gets = awaitRecords(since, r -> Channels.C_GET.equals(r.channel()), 1);
    assertEquals(1, gets.size(), gets.toString());
    AuditRecord get = gets.get(0);
    assertEquals(AuditEventTypes.INSTANCES_TRANSFERRED, get.eventType());
    assertEquals("AUDIT-GET", get.actor());
    assertEquals(List.of(CT_STUDY), get.studyInstanceUids());
    assertEquals(1, get.studies().get(0).instanceCount());
    assertTrue(get.patients().stream().anyMatch(p -> p.id().equals("1CT1")), get.toString());
  }

  /**
   * A C-FIND whose matches fill more than one page (105 studies of 105 patients, pages of 100) is
   * one record naming the patients of every page, not only of the first.
   */
  @Test
  void aCFindOfSeveralPagesNamesThePatientsOfEveryPage() throws Exception {
    int n = 105;
    Set<AuditRecord.PatientRef> expected = new HashSet<>();
    try (java.sql.Connection c = IndexDb.connect()) {
      for (int k = 1; k <= n; k++) {
        String id = String.format("PAGES-%03d", k);
        WadoTestData.study(c, "wado", "2.25.7301" + k, WadoTestData.patient(c, "wado", id));
        expected.add(new AuditRecord.PatientRef(id, "HOSP-W"));
      }
    }
    try {
      Instant since = Instant.now();
      String out =
          Dcmtk.run(
              "findscu",
              "-v",
              "-S",
              "-aet",
              "AUDIT-PAGES",
              "-aec",
              "STRATA-QR",
              "-k",
              "QueryRetrieveLevel=STUDY",
              "-k",
              "PatientID=PAGES-*",
              "-k",
              "StudyInstanceUID",
              "127.0.0.1",
              String.valueOf(scp.port()));
      assertEquals(
          n, out.lines().filter(l -> l.matches(".*Find Response.*Pending.*")).count(), out);
      List<AuditRecord> finds =
          awaitRecords(
              since,
              r ->
                  Channels.C_FIND.equals(r.channel())
                      && "AUDIT-PAGES".equals(r.requester().callingAe()),
              1);
      assertEquals(1, finds.size(), finds.toString());
      assertEquals(expected, Set.copyOf(finds.get(0).patients()), finds.toString());
      assertEquals(n, finds.get(0).patients().size());
      assertEquals("more than one page: 105 patients matched, 105 named", finds.get(0).detail());
    } finally {
      try (java.sql.Connection c = IndexDb.connect()) {
        IndexDb.execute(
            c, "delete from study where tenant = 'wado' and study_uid like '2.25.7301%'");
        IndexDb.execute(
            c, "delete from patient where tenant = 'wado' and patient_id like 'PAGES-%'");
      }
    }
  }

  /**
   * Kafka stopped while QIDO-RS and WADO-RS requests go on: they are answered (the records wait in
   * the spool) until the spool is full, then refused with 503 and the reason; after Kafka returns
   * every record of an answered request arrives exactly once.
   */
  @Test
  void whileKafkaIsAwayReadsGoOnUntilTheSpoolIsFullAndEveryRecordArrivesOnce() {
    Platform platform = platform();
    Instant since = Instant.now();
    int answered = 0;
    int refused = 0;
    platform.stop(Component.KAFKA);
    try {
      for (int i = 0; i < 400 && refused == 0; i++) {
        String path =
            i % 2 == 0
                ? "/dicomweb/studies?PatientID=1CT1"
                : "/dicomweb" + CT_INSTANCE + "/metadata";
        var r = given().header("Accept", "*/*").when().get(path).then().extract();
        if (r.statusCode() == 200) {
          answered++;
        } else {
          assertEquals(503, r.statusCode(), r.asString());
          assertTrue(r.asString().contains(AuditUnavailableException.REASON), r.asString());
          refused++;
        }
      }
      // The spool's state is visible: readiness DOWN for it, its depth in the metrics.
      var ready = given().when().get("/q/health/ready").then().extract();
      assertEquals(503, ready.statusCode(), ready.asString());
      assertEquals("DOWN", spoolCheck(ready.jsonPath()), ready.asString());
      String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
      assertTrue(
          metric(metrics, "strata_audit_spool_records") >= answered,
          "spool depth in the metrics: " + answered);
      assertTrue(metric(metrics, "strata_audit_refused_total") >= 1, "refusals counted");
    } finally {
      platform.ensureStarted(EnumSet.of(Component.KAFKA));
    }
    assertTrue(answered > 10, "reads are answered while Kafka is away: " + answered);
    assertEquals(1, refused, "a full spool refuses the access");

    Predicate<AuditRecord> reads =
        r -> Channels.QIDO_RS.equals(r.channel()) || Channels.WADO_RS.equals(r.channel());
    List<AuditRecord> records = awaitRecords(since, reads, answered);
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(r.eventId()));
    assertEquals(answered, records.size(), "one record per answered request");
    assertEquals(answered, ids.size(), "no record twice");
    // Drained, the spool is ready again (polled until then, within the ceiling).
    long deadline = System.nanoTime() + CEILING.toNanos();
    while (!"UP".equals(spoolCheck(given().when().get("/q/health/ready").jsonPath()))) {
      assertTrue(System.nanoTime() < deadline, "the audit spool stays DOWN after Kafka returned");
      Thread.onSpinWait();
    }
  }

  private static String spoolCheck(io.restassured.path.json.JsonPath health) {
    return health.getString("checks.find { it.name == 'audit spool' }.status");
  }

  /** The value of a metric without labels in Prometheus' text format. */
  private static double metric(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in the metrics"));
  }
}
