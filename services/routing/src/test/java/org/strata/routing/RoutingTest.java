package org.strata.routing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.RoutingJob;
import org.strata.events.Topics;
import org.strata.storage.ObjectStore;
import org.strata.testkit.OrthancPeer;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.StoreScpPeer;
import org.strata.testkit.audit.AuditTopic;

/**
 * Routing against DCMTK's storescp as the destination, on the real Kafka and S3: stored instances
 * (objects in S3, InstanceStored on Kafka, as ingest leaves them) are matched by rules set through
 * the admin API and must arrive at storescp as stored.
 */
@QuarkusTest
@TestProfile(RoutingTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3"))
class RoutingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject ObjectStore s3;

  private KafkaProducer<String, byte[]> producer;
  private final List<StoreScpPeer> peers = new ArrayList<>();

  @BeforeEach
  void ready() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
    // routing reads what is stored from its assignment on: publish only once it is ready
    await().atMost(WAIT).until(() -> given().get("/q/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() {
    producer.close();
    peers.forEach(StoreScpPeer::close);
  }

  @Test
  void aRoutedStudyArrivesCompleteAndByteForByte() throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), "pacs-a");
    knownAe("PACS-A", pacs.port());
    putDestination("pacs-a", "{\"dimse\":{\"aeTitle\":\"PACS-A\"}}");
    putRule(
        "ct-to-pacs-a",
        "{\"when\":\"modality == 'CT' && tenant == 'route-a' && channel == 'DIMSE' && callingAe =="
            + " 'CT01' && dicom.StudyDescription == 'ROUTING TEST'\",\"trigger\":\"STUDY\","
            + "\"quietPeriod\":\"PT0.5S\",\"destination\":\"pacs-a\"}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-a";
    ct.instances = 3;
    StoredStudyMother.Stored study = ct.store(s3);
    StoredStudyMother mr = new StoredStudyMother();
    mr.tenant = "route-a";
    mr.modality = "MR";
    mr.instances = 1;
    StoredStudyMother.Stored other = mr.store(s3);
    publish(other.events());
    publish(study.events());

    Map<String, Object> job = awaitJob("pacs-a", "SENT");
    assertEquals(3, job.get("sent"));
    assertEquals(3, job.get("instances"));
    assertEquals(ct.studyUid, job.get("studyInstanceUid"));
    await().atMost(WAIT).until(() -> pacs.files().size() == 3);
    for (Path received : pacs.files()) {
      String sop = received.getFileName().toString().substring(3); // DCMTK's "CT." prefix
      assertTrue(study.objects().containsKey(sop), "not of the CT study: " + received);
      assertArrayEquals(
          dataSet(study.objects().get(sop)),
          dataSet(Files.readAllBytes(received)),
          "the data set of " + received.getFileName() + " differs from the stored object's");
    }
    // the MR study matched no rule: one job only, nothing else at the destination
    assertEquals(1, jobs("pacs-a").size());

    // one Export record for the study's job, not one per instance
    AuditRecord export = exportRecords(ct.studyUid, 1).get(0);
    assertEquals(AuditRecord.Outcome.SUCCESS, export.outcome());
    assertEquals("route-a", export.tenant());
    assertEquals("PACS-A", export.destination().subject());
    assertEquals("127.0.0.1:" + pacs.port(), export.destination().address());
    assertEquals(3, export.studies().get(0).instanceCount());
    assertEquals(List.of(new AuditRecord.PatientRef("PID-1", null)), export.patients());
    assertEquals("strata-routing", export.requester().subject());
    assertEquals(AuditRecord.Channels.ROUTING, export.channel());
    assertTrue(exportRecordsNow(mr.studyUid).isEmpty(), "the MR study was not exported");
  }

  @Test
  void aDestinationDownAtFirstReceivesEverythingOnceUp() throws Exception {
    int port = StoreScpPeer.freePort();
    knownAe("PACS-B", port);
    // more attempts than the profile's 3: the test starts the destination after the first failure
    putDestination("pacs-b", "{\"dimse\":{\"aeTitle\":\"PACS-B\"},\"maxAttempts\":30}");
    putRule(
        "each-to-pacs-b",
        "{\"when\":\"tenant == 'route-b'\",\"trigger\":\"INSTANCE\",\"destination\":\"pacs-b\"}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-b";
    ct.instances = 2;
    publish(ct.store(s3).events());

    // both instance jobs fail at first (nothing listens) and wait for their retry
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobs("pacs-b").stream()
                        .filter(j -> (int) j.get("attempts") >= 1 && j.get("lastReason") != null)
                        .count()
                    == 2);
    StoreScpPeer pacs = peer(port, "pacs-b");
    await()
        .atMost(WAIT)
        .until(() -> jobs("pacs-b").stream().allMatch(j -> j.get("state").equals("SENT")));
    assertEquals(2, pacs.files().size());
    assertEquals(2, jobs("pacs-b").size());
    // two instance jobs of one study, each failed once then sent: one record per job
    List<AuditRecord> exports = exportRecords(ct.studyUid, 2);
    assertEquals(2, exports.size(), "" + exports);
    for (AuditRecord r : exports) {
      assertEquals(AuditRecord.Outcome.SUCCESS, r.outcome());
      assertEquals(1, r.studies().get(0).instanceCount());
    }
  }

  @Test
  void aRefusingDestinationEndsInDeadLettersAndARetryDeliversOnceFixed() throws Exception {
    int port = StoreScpPeer.freePort();
    StoreScpPeer refusing = peer(port, "pacs-c-refusing", "--refuse");
    knownAe("PACS-C", port);
    putDestination("pacs-c", "{\"dimse\":{\"aeTitle\":\"PACS-C\"}}");
    putRule(
        "study-to-pacs-c",
        "{\"when\":\"tenant == 'route-c'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0.2S\","
            + "\"destination\":\"pacs-c\"}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-c";
    ct.instances = 2;
    publish(ct.store(s3).events());

    Map<String, Object> dead = awaitJob("pacs-c", "DEAD");
    assertEquals(3, dead.get("attempts"));
    assertTrue(((String) dead.get("lastReason")).startsWith("association rejected"), "" + dead);
    AuditRecord failed = exportRecords(ct.studyUid, 1).get(0);
    assertEquals(AuditRecord.Outcome.SERIOUS_FAILURE, failed.outcome());
    assertEquals(dead.get("lastReason"), failed.outcomeDescription());
    assertEquals(0, failed.studies().get(0).instanceCount());
    RoutingJob letter = deadLetter((String) dead.get("jobId"));
    assertEquals(dead.get("lastReason"), letter.lastReason());
    assertEquals(2, letter.instances().size());

    refusing.close();
    StoreScpPeer fixed = peer(port, "pacs-c");
    given().post("/admin/jobs/" + dead.get("jobId") + "/retry").then().statusCode(202);
    await().atMost(WAIT).until(() -> job((String) dead.get("jobId")).get("state").equals("SENT"));
    assertEquals(2, fixed.files().size());
    AuditRecord sent =
        exportRecords(ct.studyUid, 2).stream()
            .filter(r -> r.outcome() == AuditRecord.Outcome.SUCCESS)
            .findFirst()
            .orElseThrow();
    assertEquals(2, sent.studies().get(0).instanceCount());
  }

  @Test
  void aStatStudyOvertakesARoutineBacklog() throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), "pacs-d");
    knownAe("PACS-D", pacs.port());
    putDestination("pacs-d", "{\"dimse\":{\"aeTitle\":\"PACS-D\"},\"parallelism\":1}");
    given().post("/admin/destinations/pacs-d/pause").then().statusCode(204);
    putRule(
        "routine-to-pacs-d",
        "{\"when\":\"tenant == 'route-d'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0S\","
            + "\"destination\":\"pacs-d\",\"priority\":\"ROUTINE\"}");
    putRule(
        "stat-to-pacs-d",
        "{\"when\":\"tenant == 'route-d-stat'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0S\","
            + "\"destination\":\"pacs-d\",\"priority\":\"STAT\"}");
    List<String> routine = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      StoredStudyMother s = new StoredStudyMother();
      s.tenant = "route-d";
      s.instances = 1;
      publish(s.store(s3).events());
      routine.add(s.studyUid);
      int queued = i + 1;
      await().atMost(WAIT).until(() -> jobs("pacs-d").size() == queued);
    }
    StoredStudyMother stat = new StoredStudyMother();
    stat.tenant = "route-d-stat";
    stat.instances = 1;
    publish(stat.store(s3).events());
    await().atMost(WAIT).until(() -> jobs("pacs-d").size() == 5);

    given().post("/admin/destinations/pacs-d/resume").then().statusCode(204);
    await().atMost(WAIT).until(() -> pacs.receivedOrder().size() == 5);
    List<String> order = pacs.receivedOrder();
    assertEquals(stat.studyUid + ".1.1", order.get(0), "arrival order: " + order);
    List<String> routineOrder = order.subList(1, 5);
    assertEquals(
        routine.stream().map(s -> s + ".1.1").toList(), routineOrder, "routine in arrival order");
  }

  @Test
  void aStudyRoutedOverStowRsToOrthancArrivesByteForByte() throws Exception {
    Path dir = RoutingTestProfile.DIR.resolve("orthanc-" + UUID.randomUUID());
    Files.createDirectories(dir);
    try (OrthancPeer orthanc = OrthancPeer.start(dir, 0, "UNUSED", 1, 1)) {
      putDestination(
          "orthanc-web",
          "{\"stow\":{\"url\":\""
              + orthanc.url()
              + "/dicom-web/\",\"verify\":true},\"parallelism\":2}");
      putRule(
          "study-to-orthanc",
          "{\"when\":\"tenant == 'route-f'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0.2S\","
              + "\"destination\":\"orthanc-web\"}");
      StoredStudyMother ct = new StoredStudyMother();
      ct.tenant = "route-f";
      ct.instances = 2;
      StoredStudyMother.Stored study = ct.store(s3);
      publish(study.events());

      Map<String, Object> job = awaitJob("orthanc-web", "SENT");
      assertEquals(2, job.get("sent"));
      AuditRecord export = exportRecords(ct.studyUid, 1).get(0);
      assertEquals(orthanc.url() + "/dicom-web/", export.destination().subject());
      assertEquals(null, export.destination().callingAe());
      assertEquals(2, export.studies().get(0).instanceCount());
      for (Map.Entry<String, byte[]> stored : study.objects().entrySet()) {
        byte[] received = orthancFile(orthanc, stored.getKey());
        assertArrayEquals(
            dataSet(stored.getValue()),
            dataSet(received),
            "the data set Orthanc holds differs from the stored object's");
      }
    }
  }

  @Test
  void aManualExportSendsTheStudyNowWithADurableStatusAndIsAudited() throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), "pacs-m");
    knownAe("PACS-M", pacs.port());
    putDestination("pacs-m", "{\"dimse\":{\"aeTitle\":\"PACS-M\"}}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-m";
    ct.instances = 2;
    StoredStudyMother.Stored study = ct.store(s3);
    IndexRows.index(study); // indexed, never on strata.instance.stored: no rule sees it
    String body = "{\"destination\":\"pacs-m\",\"studyInstanceUid\":\"" + ct.studyUid + "\"}";

    // the study is not another tenant's; a series it does not have; an unknown destination
    exportRequest("route-other", body).then().statusCode(404);
    exportRequest(
            "route-m",
            "{\"destination\":\"pacs-m\",\"studyInstanceUid\":\""
                + ct.studyUid
                + "\",\"seriesInstanceUid\":\""
                + ct.studyUid
                + ".9\"}")
        .then()
        .statusCode(404);
    exportRequest("route-m", body.replace("pacs-m", "nowhere")).then().statusCode(400);
    assertTrue(pacs.files().isEmpty());

    String jobId =
        exportRequest("route-m", body)
            .then()
            .statusCode(202)
            .body("instances", equalTo(2))
            .extract()
            .path("jobId");
    await().atMost(WAIT).until(() -> job(jobId).get("state").equals("SENT"));
    assertEquals("local", job(jobId).get("requestedBy"));
    assertEquals(2, pacs.files().size());
    for (Path received : pacs.files()) {
      String sop = received.getFileName().toString().substring(3);
      assertArrayEquals(dataSet(study.objects().get(sop)), dataSet(Files.readAllBytes(received)));
    }
    // the status is routing's table, not this instance's memory: a restart shows the same
    assertEquals("SENT", IndexRows.jobState(jobId));

    // the job's record read again (as after a crash before its offset was committed): the
    // status says it was sent, so it is not sent twice
    RoutingJob last = EventCodec.decode(IndexRows.jobRecord(jobId), RoutingJob.class);
    producer
        .send(
            new ProducerRecord<>(
                Topics.ROUTING_JOBS_ROUTINE.name(), last.destination(), EventCodec.encode(last)))
        .get();
    await().atMost(WAIT).until(() -> replaysSkipped("pacs-m") >= 1.0);
    assertEquals(2, pacs.receivedOrder().size(), "sent again: " + pacs.receivedOrder());
    List<AuditRecord> exports = exportRecords(ct.studyUid, 1);
    assertEquals(1, exports.size(), "one record for the one job: " + exports);
    AuditRecord export = exports.get(0);
    assertEquals("local", export.requester().subject());
    assertEquals(AuditRecord.Outcome.SUCCESS, export.outcome());
    assertEquals("PACS-M", export.destination().subject());
    assertEquals(2, export.studies().get(0).instanceCount());
    assertEquals(List.of(new AuditRecord.PatientRef("PID-1", "T")), export.patients());
    assertTrue(export.detail().startsWith("manual export"), export.detail());
  }

  @Test
  void aDryRunSaysWhatTheRulesWouldDoAndARuleThatNeverMatchedIsReported() throws Exception {
    putDestination("pacs-dry", "{\"dimse\":{\"aeTitle\":\"PACS-DRY\"}}");
    given().post("/admin/destinations/pacs-dry/pause").then().statusCode(204); // sends nothing
    putRule(
        "dry-ct",
        "{\"when\":\"tenant == 'route-dry' && modality == 'CT'\",\"enabled\":false,"
            + "\"destination\":\"pacs-dry\"}");
    putRule(
        "dry-mr",
        "{\"when\":\"tenant == 'route-dry' && modality == 'MR'\",\"trigger\":\"INSTANCE\","
            + "\"destination\":\"pacs-dry\"}");
    putRule(
        "dry-never",
        "{\"when\":\"tenant == 'route-dry' && modality == 'XA'\",\"destination\":\"pacs-dry\"}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-dry";
    ct.instances = 2;
    StoredStudyMother mr = new StoredStudyMother();
    mr.tenant = "route-dry";
    mr.modality = "MR";
    mr.instances = 1;
    publish(ct.store(s3).events());
    publish(mr.store(s3).events());
    await()
        .atMost(WAIT)
        .until(() -> dryRun("/admin/rules/dry-run", mr.studyUid).getInt("evaluated") == 1);
    await()
        .atMost(WAIT)
        .until(() -> dryRun("/admin/rules/dry-run", ct.studyUid).getInt("evaluated") == 2);

    // the disabled CT rule would send both CT instances; only it matches the CT study
    var ctRun = dryRun("/admin/rules/dry-run", ct.studyUid);
    assertEquals(1, ctRun.getList("studies").size());
    assertEquals(List.of("dry-ct"), ctRun.getList("studies[0].matches.rule"));
    assertEquals(false, ctRun.getBoolean("studies[0].matches[0].enabled"));
    assertEquals("pacs-dry", ctRun.getString("studies[0].matches[0].destination"));
    assertEquals(2, ctRun.getInt("studies[0].matches[0].instances"));
    assertEquals(
        List.of("dry-mr"),
        dryRun("/admin/rules/dry-run", mr.studyUid).getList("studies[0].matches.rule"));
    assertEquals(
        List.of(),
        dryRun("/admin/rules/dry-ct/dry-run", mr.studyUid).getList("studies[0].matches"));
    // nothing sent by a dry run: the only job is the enabled MR rule's, waiting
    await().atMost(WAIT).until(() -> jobs("pacs-dry").size() == 1);
    assertEquals(mr.studyUid, jobs("pacs-dry").get(0).get("studyInstanceUid"));

    var report = given().get("/admin/rule-matches").then().statusCode(200).extract().jsonPath();
    List<String> never = report.getList("neverMatched");
    assertTrue(never.contains("dry-never"), "" + never);
    assertTrue(!never.contains("dry-mr") && !never.contains("dry-ct"), "" + never);
    assertEquals(1, report.getInt("rules.find { it.id == 'dry-mr' }.matches"));
    given().post("/admin/rules/dry-run?last=0").then().statusCode(400);
    given().post("/admin/rules/nothing-like-it/dry-run").then().statusCode(404);
  }

  /**
   * Proof of delivery: a DICOMweb peer that answers STOW-RS with 200 but holds nothing (QIDO-RS
   * finds no instance) never gets the job SENT; it dies with the proof's reason. (Orthanc, which
   * does hold what it acknowledges, passes the same check in the STOW-RS test above.)
   */
  @Test
  void aStowDestinationThatDoesNotHoldWhatItAcknowledgedIsNotSent() throws Exception {
    com.sun.net.httpserver.HttpServer liar =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    liar.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
          boolean qido = exchange.getRequestMethod().equals("GET");
          byte[] answer = qido ? "[]".getBytes() : "{}".getBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    liar.start();
    try {
      putDestination(
          "stow-liar",
          "{\"stow\":{\"url\":\"http://127.0.0.1:"
              + liar.getAddress().getPort()
              + "/dicom-web\",\"verify\":true}}");
      studyRule("study-to-liar", "route-v", "stow-liar");
      publishStudy("route-v", 2);

      Map<String, Object> dead = awaitJob("stow-liar", "DEAD");
      assertEquals(
          "proof of delivery: QIDO-RS finds 0 of the 2 instances sent", dead.get("lastReason"));
      assertEquals(0, dead.get("sent"));
    } finally {
      liar.stop(0);
    }
  }

  @Test
  void theRulesFileIsReloadedWhenItChangesAndABadChangeIsNotTaken() throws Exception {
    Files.writeString(
        RoutingTestProfile.RULES,
        """
        version: 1
        destinations:
          - name: from-file
            dimse: {aeTitle: FROM-FILE}
        rules:
          - id: written-by-hand
            when: modality == 'XA'
            destination: from-file
        """);
    await()
        .atMost(WAIT)
        .until(() -> given().get("/admin/rules/written-by-hand").statusCode() == 200);
    given().get("/admin/destinations/from-file").then().statusCode(200);

    Files.writeString(RoutingTestProfile.RULES, "version: 1\nrules:\n  - id: x\n    when: 1 +\n");
    await()
        .atMost(WAIT)
        .until(() -> given().get("/admin/rules").jsonPath().getString("fileError") != null);
    given().get("/admin/rules/written-by-hand").then().statusCode(200);
  }

  @Test
  void aRuleThatDoesNotCompileIsRefusedWithCelsReason() {
    putDestination("pacs-e", "{\"dimse\":{\"aeTitle\":\"PACS-E\"}}");
    given()
        .contentType(ContentType.JSON)
        .body("{\"when\":\"modality == \",\"destination\":\"pacs-e\"}")
        .put("/admin/rules/broken")
        .then()
        .statusCode(400)
        .body("reason", org.hamcrest.Matchers.startsWith("rule broken: when: "));
    given()
        .contentType(ContentType.JSON)
        .body("{\"when\":\"modality == 'CT'\",\"destination\":\"nowhere\"}")
        .put("/admin/rules/lost")
        .then()
        .statusCode(400)
        .body("reason", equalTo("rule lost: destination is not a listed destination"));
    given().get("/admin/rules/broken").then().statusCode(404);
  }

  // --- helpers

  /** A STUDY rule sending a tenant's studies, quiet after 0.2 s, to a destination. */
  private static void studyRule(String id, String tenant, String destination) {
    putRule(
        id,
        "{\"when\":\"tenant == '"
            + tenant
            + "'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0.2S\",\"destination\":\""
            + destination
            + "\"}");
  }

  /** A CT study of {@code instances} instances of a tenant, stored and published. */
  private StoredStudyMother publishStudy(String tenant, int instances) throws Exception {
    StoredStudyMother m = new StoredStudyMother();
    m.tenant = tenant;
    m.instances = instances;
    publish(m.store(s3).events());
    return m;
  }

  private static io.restassured.path.json.JsonPath dryRun(String path, String study) {
    return given()
        .queryParam("study", study)
        .queryParam("last", 1000)
        .post(path)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static io.restassured.response.Response exportRequest(String tenant, String body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/admin/tenants/" + tenant + "/exports");
  }

  /** strata_routing_replays_skipped_total of a destination, from /q/metrics. */
  private static double replaysSkipped(String destination) {
    String prefix = "strata_routing_replays_skipped_total{destination=\"" + destination + "\"";
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The Export records of a study on the real audit topic, once at least {@code n} are there. */
  private List<AuditRecord> exportRecords(String studyUid, int n) {
    return new AuditTopic(bootstrap)
        .await(
            r ->
                AuditEventTypes.EXPORT.equals(r.eventType())
                    && r.studyInstanceUids().contains(studyUid),
            n,
            WAIT);
  }

  private List<AuditRecord> exportRecordsNow(String studyUid) {
    return new AuditTopic(bootstrap)
        .readAll(
            r ->
                AuditEventTypes.EXPORT.equals(r.eventType())
                    && r.studyInstanceUids().contains(studyUid));
  }

  /** The file Orthanc stored for a SOP Instance UID (its REST API: lookup, then the file). */
  private static byte[] orthancFile(OrthancPeer orthanc, String sopUid) throws Exception {
    var lookup =
        orthanc
            .http()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(orthanc.url() + "/tools/lookup"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(sopUid))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, lookup.statusCode(), lookup.body());
    String id =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(lookup.body())
            .path(0)
            .path("ID")
            .asText();
    assertTrue(!id.isEmpty(), "Orthanc does not hold " + sopUid);
    var file =
        orthanc
            .http()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(orthanc.url() + "/instances/" + id + "/file"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, file.statusCode());
    return file.body();
  }

  private StoreScpPeer peer(int port, String name, String... options) throws Exception {
    StoreScpPeer p =
        StoreScpPeer.start(
            port, RoutingTestProfile.DIR.resolve(name + "-" + UUID.randomUUID()), "ANY", options);
    peers.add(p);
    return p;
  }

  private static synchronized void knownAe(String title, int port) throws Exception {
    Files.writeString(
        RoutingTestProfile.KNOWN_AES,
        title + " 127.0.0.1 " + port + " local\n",
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static void putDestination(String name, String json) {
    given()
        .contentType(ContentType.JSON)
        .body(json)
        .put("/admin/destinations/" + name)
        .then()
        .statusCode(200);
  }

  private static void putRule(String id, String json) {
    given()
        .contentType(ContentType.JSON)
        .body(json)
        .put("/admin/rules/" + id)
        .then()
        .statusCode(200);
  }

  private void publish(List<InstanceStored> events) throws Exception {
    for (InstanceStored e : events) {
      producer
          .send(new ProducerRecord<>(Topics.INSTANCE_STORED.name(), e.key(), EventCodec.encode(e)))
          .get();
    }
  }

  private static List<Map<String, Object>> jobs(String destination) {
    return given()
        .queryParam("destination", destination)
        .get("/admin/jobs")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  private static Map<String, Object> job(String id) {
    return given().get("/admin/jobs/" + id).then().statusCode(200).extract().jsonPath().getMap("$");
  }

  private static Map<String, Object> awaitJob(String destination, String state) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                jobs(destination).stream()
                    .filter(j -> state.equals(j.get("state")))
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  private RoutingJob deadLetter(String jobId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(Topics.ROUTING_DEAD_LETTER.name()));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          RoutingJob j = EventCodec.decode(r.value(), RoutingJob.class);
          if (j.jobId().equals(jobId)) {
            assertEquals("pacs-c", r.key());
            return j;
          }
        }
      }
    }
    throw new AssertionError("no dead letter for job " + jobId);
  }

  /**
   * The data set of a Part 10 file: what follows the preamble, "DICM" and the file meta group,
   * whose length is in (0002,0000) (an UL in explicit VR little endian at byte 132).
   */
  static byte[] dataSet(byte[] part10) {
    ByteBuffer b = ByteBuffer.wrap(part10).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x0002, b.getShort(132));
    assertEquals(0x0000, b.getShort(134));
    int groupLength = b.getInt(140);
    return Arrays.copyOfRange(part10, 144 + groupLength, part10.length);
  }
}
