package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.ingest.dimse.StorageScp;
import org.strata.testkit.PlatformTestResource;
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
            DicomFiles.instance(a, a + ".1", a + ".1.1", "AUD-1", 64),
            DicomFiles.instance(a, a + ".1", a + ".1.2", "AUD-1", 64),
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
    List<AuditRecord> ofB = records(b, 1);
    assertEquals(1, ofB.size(), ofB.toString());
    assertEquals(1, ofB.get(0).studies().get(0).instanceCount());
  }

  @Test
  void aCStoreAssociationIsOneRecordPerStudyNamingTheCallingAe() throws Exception {
    String study = newStudy();
    Path dir = Files.createTempDirectory(Path.of("target"), "audit-");
    for (int i = 1; i <= 3; i++) {
      Files.write(
          dir.resolve(i + ".dcm"),
          DicomFiles.instance(study, study + ".1", study + ".1." + i, "AUD-3", 64));
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
  }
}
