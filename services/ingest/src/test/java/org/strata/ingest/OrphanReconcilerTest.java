package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.InstanceStored;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * The orphan reconciler (ADR 0011) against real S3 and Kafka. An orphan is made exactly as a crash
 * between the PUT and the Kafka acknowledgement leaves it: the object with its metadata, no event.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class OrphanReconcilerTest {
  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "strata.s3.access-key")
  String s3AccessKey;

  @ConfigProperty(name = "strata.s3.secret-key")
  String s3SecretKey;

  @Test
  void orphansGetTheirEventLeftoversGoForeignObjectsStay() throws Exception {
    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    String study = uid(), series = uid();

    // 1. An instance stored normally: it has its event and must not get a second one.
    String normalSop = uid();
    given()
        .contentType(Multipart.CONTENT_TYPE)
        .body(Multipart.of(List.of(DicomFiles.instance(study, series, normalSop, "REC-1", 4096))))
        .post("/dicomweb/studies")
        .then()
        .statusCode(200);

    // 2. The orphan: PUT done with the pipeline's metadata, then the process died.
    String orphanSop = uid();
    byte[] orphan = DicomFiles.instance(study, series, orphanSop, "REC-1", 70_000);
    String orphanKey = ObjectKeys.instance("local", study, series, orphanSop, 1);
    String eventId = UUID.randomUUID().toString();
    store.put(
        orphanKey,
        new ByteArrayInputStream(orphan),
        "application/dicom",
        Map.of(
            "strata-event-id", eventId,
            "strata-tenant", "local",
            "strata-channel", "DIMSE",
            "strata-calling-ae", "ORPHANSCU",
            "strata-called-ae", "STRATA"));

    // 3. A leftover of an interrupted duplicate comparison, and 4. an object that is not ours.
    String leftover = ObjectKeys.instance("local", study, series, uid(), 1) + ".incoming-x";
    store.put(leftover, new ByteArrayInputStream(new byte[10]), "application/dicom", Map.of());
    String foreignKey = ObjectKeys.instance("local", study, series, uid(), 1);
    store.put(foreignKey, new ByteArrayInputStream(orphan), "application/dicom", Map.of());

    java.time.Instant since = java.time.Instant.now();
    JsonPath first = reconcile();
    assertTrue(first.getLong("republished") >= 1, first.prettify());
    assertTrue(first.getLong("foreign") >= 1, first.prettify());
    assertTrue(first.getLong("leftoversRemoved") >= 1, first.prettify());
    assertEquals(0, first.getLong("failed"), first.prettify());

    List<InstanceStored> orphanEvents = eventsOf(orphanSop);
    assertEquals(1, orphanEvents.size(), "exactly one event for the orphan");
    InstanceStored e = orphanEvents.get(0);
    assertEquals(eventId, e.eventId(), "the event the original request would have published");
    assertEquals(orphanKey, e.objectLocation().key());
    assertEquals(orphan.length, e.objectLocation().size());
    assertEquals(sha256(orphan), e.objectLocation().sha256());
    assertEquals(study, e.studyInstanceUid());
    assertEquals("REC-1", e.patientId());
    assertEquals(InstanceStored.Channel.DIMSE, e.source().channel());
    assertEquals("ORPHANSCU", e.source().callingAeTitle());
    assertEquals(1, eventsOf(normalSop).size(), "a stored instance is not announced twice");
    assertFalse(store.stat(leftover).isPresent(), "the leftover upload is removed");
    assertTrue(store.stat(foreignKey).isPresent(), "an object without Strata metadata is kept");
    assertTrue(eventsOf(foreignKey.substring(foreignKey.lastIndexOf('/') + 1)).isEmpty());

    // The run is recorded: who, with what it did in counts (no PHI).
    org.strata.events.AuditRecord run =
        reconcileRecord(since, org.strata.events.AuditRecord.Channels.ADMIN_API);
    assertEquals("local", run.actor());
    assertTrue(
        run.detail().contains(first.getLong("leftoversRemoved") + " leftovers removed"),
        run.detail());

    // A second run finds nothing new to do: what it announced is now on the topic.
    JsonPath second = reconcile();
    assertEquals(0, second.getLong("republished"), second.prettify());
    assertEquals(1, eventsOf(orphanSop).size());
  }

  @jakarta.inject.Inject org.strata.ingest.service.OrphanReconciler reconciler;

  /** The run the schedule makes is recorded too, as the service's own action. */
  @Test
  void aScheduledRunIsRecordedAsTheService() {
    java.time.Instant since = java.time.Instant.now();
    reconciler.runScheduled();
    org.strata.events.AuditRecord run =
        reconcileRecord(since, org.strata.events.AuditRecord.Channels.SERVICE);
    assertEquals("strata-ingest", run.actor());
    assertEquals(org.strata.events.AuditRecord.Outcome.SUCCESS, run.outcome());
    assertTrue(run.detail().matches("orphan reconcile: \\d+ examined, .*"), run.detail());
  }

  /** The one reconcile record made through {@code channel} since {@code since}: U, its counts. */
  private org.strata.events.AuditRecord reconcileRecord(java.time.Instant since, String channel) {
    List<org.strata.events.AuditRecord> runs =
        new org.strata.testkit.audit.AuditTopic(bootstrap)
            .await(
                r ->
                    "strata-ingest".equals(r.service())
                        && !r.occurredAt().isBefore(since)
                        && channel.equals(r.channel())
                        && r.detail() != null
                        && r.detail().startsWith("orphan reconcile"),
                1,
                java.time.Duration.ofMinutes(3));
    assertEquals(1, runs.size(), runs.toString());
    org.strata.events.AuditRecord run = runs.get(0);
    assertEquals(org.strata.events.AuditEventTypes.INSTANCES_ACCESSED, run.eventType());
    assertEquals(org.strata.events.AuditRecord.Action.U, run.action());
    return run;
  }

  @Test
  void badDurationsAreRefused() {
    given().post("/admin/reconcile?grace=15minutes").then().statusCode(400);
    given().post("/admin/reconcile?grace=PT1H&window=PT10M").then().statusCode(400);
  }

  private static JsonPath reconcile() {
    return given()
        .post("/admin/reconcile?grace=PT0S&window=PT1H")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Every InstanceStored on the topic for a SOP Instance UID (or a key's file name). */
  private List<InstanceStored> eventsOf(String sopOrFileName) {
    return StoredEvents.upToNow(
            bootstrap,
            e ->
                e.sopInstanceUid().equals(sopOrFileName)
                    || e.objectLocation().key().endsWith("/" + sopOrFileName))
        .stream()
        .map(StoredEvents.Keyed::event)
        .toList();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String uid() {
    return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }
}
