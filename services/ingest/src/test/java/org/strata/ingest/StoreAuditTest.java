package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.audit.AuditUnavailableException;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.ingest.dimse.StorageScp;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.audit.AuditTopic;

/**
 * Stores leave one audit record per study per request (STOW-RS, curl-like) or association (C-STORE,
 * dcmtk's storescu), with the instances counted per SOP class, on the real Kafka.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class StoreAuditTest {
  private static final Duration CEILING = Duration.ofMinutes(3);

  @Inject StorageScp scp;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static String newStudy() {
    return "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
  }

  private List<AuditRecord> records(String study, int expected) {
    return new AuditTopic(bootstrap)
        .await(
            r -> "strata-ingest".equals(r.service()) && r.studyInstanceUids().contains(study),
            expected,
            CEILING);
  }

  @Test
  void aStowRequestIsOneRecordPerStudyWithItsInstanceCounts() {
    String a = newStudy();
    String b = newStudy();
    List<byte[]> parts =
        List.of(
            DicomFiles.instance(a, a + ".1", a + ".1.1", "AUD-1", "HOSP-AUD", 64),
            DicomFiles.instance(a, a + ".1", a + ".1.2", "AUD-1", "HOSP-AUD", 64),
            DicomFiles.instance(b, b + ".1", b + ".1.1", "AUD-2", 64));
    given()
        .contentType(Multipart.CONTENT_TYPE)
        .body(Multipart.of(parts))
        .post("/dicomweb/studies")
        .then()
        .statusCode(200);

    List<AuditRecord> ofA = records(a, 1);
    assertEquals(1, ofA.size(), ofA.toString());
    AuditRecord r = ofA.get(0);
    assertEquals(AuditEventTypes.INSTANCES_TRANSFERRED, r.eventType());
    assertEquals(AuditRecord.Action.C, r.action());
    assertEquals(Outcome.SUCCESS, r.outcome());
    assertEquals(Channels.STOW_RS, r.channel());
    assertEquals("local", r.actor());
    assertEquals("local", r.tenant());
    assertEquals(List.of(a), r.studyInstanceUids());
    assertEquals(2, r.studies().get(0).instanceCount());
    assertEquals(DicomFiles.CT, r.studies().get(0).sopClasses().get(0).sopClassUid());
    // The patient as the stored header names it: ID with issuer, and without when none was sent.
    assertEquals(List.of(new AuditRecord.PatientRef("AUD-1", "HOSP-AUD")), r.patients());
    List<AuditRecord> ofB = records(b, 1);
    assertEquals(1, ofB.size(), ofB.toString());
    assertEquals(1, ofB.get(0).studies().get(0).instanceCount());
    assertEquals(List.of(new AuditRecord.PatientRef("AUD-2", null)), ofB.get(0).patients());
  }

  @Test
  void aCStoreAssociationIsOneRecordPerStudyNamingTheCallingAe() throws Exception {
    String study = newStudy();
    Path dir = Files.createTempDirectory(Path.of("target"), "audit-");
    for (int i = 1; i <= 3; i++) {
      Files.write(
          dir.resolve(i + ".dcm"),
          DicomFiles.instance(study, study + ".1", study + ".1." + i, "AUD-3", "HOSP-AUD", 64));
    }
    StorageScpTest.Result run =
        StorageScpTest.run(
            List.of(
                "storescu",
                "-aet",
                "AUDIT-SCU",
                "-aec",
                "STRATA",
                "+sd",
                "127.0.0.1",
                "" + scp.port(),
                dir.toString()));
    assertEquals(0, run.exit(), run.output());

    List<AuditRecord> got = records(study, 1);
    assertEquals(1, got.size(), got.toString());
    AuditRecord r = got.get(0);
    assertEquals(Channels.C_STORE, r.channel());
    assertEquals("AUDIT-SCU", r.actor());
    assertEquals("AUDIT-SCU", r.requester().callingAe());
    assertEquals("127.0.0.1", r.requester().address());
    assertEquals(3, r.studies().get(0).instanceCount());
    assertEquals(List.of(new AuditRecord.PatientRef("AUD-3", "HOSP-AUD")), r.patients());
  }

  /**
   * Kafka stopped: requests go on recording into the spool (refused STOW-RS requests, 400, which
   * need neither S3 nor Kafka) until it is full; then a STOW-RS is refused 503 before its body is
   * read and a C-STORE is refused A700 (out of resources), so nothing is stored without its record
   * (ADR 0035). After Kafka returns, every record of an answered request arrives once.
   */
  @Test
  void aFullSpoolRefusesStowWith503AndCStoreWithA700() throws Exception {
    String study = newStudy();
    Path dir = Files.createTempDirectory(Path.of("target"), "full-");
    Files.write(
        dir.resolve("1.dcm"), DicomFiles.instance(study, study + ".1", study + ".1.1", "F", 64));
    Platform platform = SharedPlatform.require(Set.of(Component.KAFKA));
    Instant since = Instant.now();
    int answered = 0;
    String refusal = null;
    StorageScpTest.Result store;
    platform.stop(Component.KAFKA);
    try {
      for (int i = 0; i < 2000 && refusal == null; i++) {
        var r =
            given()
                .contentType("multipart/related; type=\"application/dicom\"")
                .body(new byte[0])
                .post("/dicomweb/studies")
                .then()
                .extract();
        if (r.statusCode() == 400) {
          answered++;
        } else {
          assertEquals(503, r.statusCode(), r.asString());
          refusal = r.asString();
        }
      }
      store =
          StorageScpTest.run(
              List.of(
                  "storescu",
                  "-v",
                  "-aet",
                  "FULL-SCU",
                  "-aec",
                  "STRATA",
                  "127.0.0.1",
                  "" + scp.port(),
                  dir.resolve("1.dcm").toString()));
    } finally {
      platform.ensureStarted(Set.of(Component.KAFKA));
      // The other tests need the spool drained: wait (within the ceiling) until it is ready again.
      long deadline = System.nanoTime() + CEILING.toNanos();
      while (!"UP".equals(spoolCheck()) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }
    assertTrue(answered > 10, "requests are answered while Kafka is away: " + answered);
    assertTrue(
        refusal != null && refusal.contains(AuditUnavailableException.REASON),
        "a full spool refuses STOW-RS: " + refusal);
    assertTrue(
        store.output().contains("Refused: OutOfResources"), // dcmtk's name of A700
        "a full spool refuses C-STORE with A700: " + store.output());

    int expected = answered;
    List<AuditRecord> records =
        new AuditTopic(bootstrap)
            .await(
                r ->
                    "strata-ingest".equals(r.service())
                        && Channels.STOW_RS.equals(r.channel())
                        && !r.occurredAt().isBefore(since)
                        && "HTTP 400".equals(r.outcomeDescription()),
                expected,
                CEILING);
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(r.eventId()));
    assertEquals(expected, records.size(), "one record per answered request");
    assertEquals(expected, ids.size(), "no record twice");
    assertEquals("UP", spoolCheck(), "readiness once the spool drained");
  }

  private static String spoolCheck() {
    return given()
        .when()
        .get("/q/health/ready")
        .jsonPath()
        .getString("checks.find { it.name == 'audit spool' }.status");
  }
}
