package org.strata.routing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.eclipse.microprofile.config.ConfigProvider;
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
import org.strata.routing.repository.JobBoard;
import org.strata.routing.repository.RuleMatchTable;
import org.strata.routing.service.JobState;
import org.strata.routing.service.RoutingRules;
import org.strata.routing.service.RuleMatches;
import org.strata.storage.ObjectStore;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;
import org.strata.testkit.Dcmdump;
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
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class RoutingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject ObjectStore s3;

  @Inject JobBoard board;

  @Inject RuleMatchTable ruleMatchTable;

  @Inject RoutingRules routingRules;

  /** Routing's Storage Commitment listener, where Orthanc is told to report. */
  @ConfigProperty(name = "strata.routing.commitment-port")
  int commitmentPort;

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

  /**
   * An instance storage-tiering moved to the second tier (another S3 server) after its
   * InstanceStored event: the job still names the first tier's copy, which is gone; routing reads
   * the object where the index says it is now, and it arrives byte for byte.
   */
  @Test
  void anInstanceMovedToTheSecondTierIsRoutedFromThere() throws Exception {
    StoreScpPeer pacs = storeScpDestination("pacs-t", "PACS-T");
    studyRule("study-to-pacs-t", "route-t", "pacs-t", "PT2S");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-t";
    ct.instances = 2;
    StoredStudyMother.Stored study = ct.store(s3);
    IndexRows.index(study);
    // what a move does: the copy on the cold tier, the index pointing there, the hot copy deleted
    TieredStorage tiers =
        TieredStorage.open(
            Tiers.from(k -> ConfigProvider.getConfig().getOptionalValue(k, String.class)));
    ObjectStore cold = tiers.store(tiers.tiers().named("cold").orElseThrow());
    for (InstanceStored e : study.events()) {
      String key = e.objectLocation().key();
      byte[] object = study.objects().get(e.sopInstanceUid());
      cold.put(key, new java.io.ByteArrayInputStream(object), "application/dicom", Map.of());
      IndexRows.moved(key, cold.bucket(), "cold");
      s3.delete(key);
    }
    publish(study.events()); // they still name the hot copy

    Map<String, Object> job = awaitJob("pacs-t", "SENT");
    assertEquals(2, job.get("sent"));
    await().atMost(WAIT).until(() -> pacs.files().size() == 2);
    for (Path received : pacs.files()) {
      String sop = received.getFileName().toString().substring(3);
      assertArrayEquals(dataSet(study.objects().get(sop)), dataSet(Files.readAllBytes(received)));
    }
  }

  /**
   * An attempt a crash interrupted after the destination confirmed 2 of the job's 3 instances (the
   * status row as the killed process left it: in flight, progress 2 of that record; ADR 0062): the
   * record read again sends only the third instance, the job is SENT with 3, and the attempt
   * records its own progress as it goes (every instance in the test profile).
   */
  @Test
  void anAttemptInterruptedAfterConfirmedInstancesResumesWithTheRestOnly() throws Exception {
    StoreScpPeer pacs = storeScpDestination("pacs-r", "PACS-R");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-r";
    StoredStudyMother.Stored study = ct.store(s3);
    RoutingJob job = study.job("pacs-r");
    board.put(job, JobState.IN_FLIGHT, 0, null);
    board.progress(job.jobId(), job.eventId(), 2);

    enqueue(job);

    await().atMost(WAIT).until(() -> "SENT".equals(job(job.jobId()).get("state")));
    assertEquals(3, job(job.jobId()).get("sent"));
    String third = study.events().get(2).sopInstanceUid();
    assertEquals(List.of(third), pacs.receivedOrder());
    assertEquals(3, board.get(job.jobId()).orElseThrow().confirmedOf(job));
  }

  /**
   * A destination that accepts only Implicit VR Little Endian (storescp {@code +xi}) and a study
   * stored RLE Lossless (ADR 0063): routing offers the stored syntax and the native ones, and the
   * instances arrive in Implicit VR Little Endian with the decoded pixels.
   */
  @Test
  void aCompressedStudyArrivesTranscodedWhereOnlyAnUncompressedSyntaxIsAccepted() throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), "pacs-x", "+xi");
    knownAe("PACS-X", pacs.port());
    putDestination("pacs-x", "{\"dimse\":{\"aeTitle\":\"PACS-X\"}}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-x";
    ct.instances = 2;
    ct.rle = true;
    StoredStudyMother.Stored study = ct.store(s3);
    RoutingJob job = study.job("pacs-x");

    enqueue(job);

    await().atMost(WAIT).until(() -> "SENT".equals(job(job.jobId()).get("state")));
    assertEquals(2, pacs.files().size());
    for (Path received : pacs.files()) {
      try (var in =
          new org.strata.dicom.io.DicomInputStream(
              new java.io.ByteArrayInputStream(Files.readAllBytes(received)))) {
        assertEquals(
            org.strata.dicom.UID.ImplicitVRLittleEndian,
            in.readFileMetaInformation().getString(org.strata.dicom.Tag.TransferSyntaxUID));
        var ds = in.readDataset();
        int number = Integer.parseInt(ds.getString(org.strata.dicom.Tag.InstanceNumber));
        assertArrayEquals(
            StoredStudyMother.rlePixels(number), ds.getBytes(org.strata.dicom.Tag.PixelData));
      }
    }
  }

  /** Puts a job's record on its queue topic, as routing does. */
  private void enqueue(RoutingJob job) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.ROUTING_JOBS_ROUTINE.name(), job.destination(), EventCodec.encode(job)))
        .get();
  }

  /**
   * Finished jobs' rows are purged once older than the retention (30 days), on the purge's schedule
   * (every 0.5 s in the tests): a job aged 31 days goes, a fresh one stays, the metric counts it.
   */
  @Test
  void finishedJobsOlderThanTheRetentionArePurged() throws Exception {
    StoreScpPeer pacs = storeScpDestination("pacs-p", "PACS-P");
    studyRule("study-to-pacs-p", "route-p", "pacs-p");
    publishStudy("route-p", 1);
    publishStudy("route-p", 1);
    List<Map<String, Object>> sent =
        await()
            .atMost(WAIT)
            .until(
                () -> jobs("pacs-p").stream().filter(j -> "SENT".equals(j.get("state"))).toList(),
                l -> l.size() == 2);
    String old = (String) sent.get(0).get("jobId");
    String recent = (String) sent.get(1).get("jobId");
    double purgedBefore = metric("strata_routing_jobs_purged_total");

    IndexRows.age(old, 31);

    await().atMost(WAIT).until(() -> given().get("/admin/jobs/" + old).statusCode() == 404);
    assertEquals("SENT", job(recent).get("state"));
    assertTrue(metric("strata_routing_jobs_purged_total") >= purgedBefore + 1);
  }

  /** A metric's value summed over its series, from /q/metrics. */
  private static double metric(String name) {
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aDeidentifyingRuleSendsTheStudyWithNothingTheProfileRemovesAndTheSameUidsEachTime()
      throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), "pacs-deid");
    knownAe("PACS-DEID", pacs.port());
    Path key = RoutingTestProfile.DIR.resolve("deid-key-" + UUID.randomUUID());
    Files.writeString(key, UUID.randomUUID().toString());
    putDestination("pacs-deid", "{\"dimse\":{\"aeTitle\":\"PACS-DEID\"}}");
    String rule =
        "{\"when\":\"tenant == 'route-deid'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0.2S\","
            + "\"destination\":\"pacs-deid\",\"deidentify\":{\"options\":[%s]}}";
    // no key for the destination yet, then an option the engine does not have: refused
    given()
        .contentType(ContentType.JSON)
        .body(rule.formatted(""))
        .put("/admin/rules/deid")
        .then()
        .statusCode(400)
        .body(
            "reason",
            equalTo("rule deid: deidentify: destination pacs-deid has no deidentificationKey"));
    putDestination(
        "pacs-deid",
        "{\"dimse\":{\"aeTitle\":\"PACS-DEID\"},\"deidentificationKey\":{\"file\":\""
            + key
            + "\"}}");
    given()
        .contentType(ContentType.JSON)
        .body(rule.formatted("\"retain-safe-private\""))
        .put("/admin/rules/deid")
        .then()
        .statusCode(400)
        .body("reason", org.hamcrest.Matchers.containsString("retain-safe-private"));
    putRule("deid", rule.formatted(""));

    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-deid";
    ct.identifying = true;
    publish(ct.store(s3).events());
    awaitJob("pacs-deid", "SENT");
    await().atMost(WAIT).until(() -> pacs.files().size() == 3);
    Map<String, List<Dcmdump.Element>> first = received(pacs);

    Map<Integer, String> removed = new java.util.HashMap<>();
    for (var row : org.strata.dicom.deid.ProfileTable.standard().rows()) {
      if (row.code(org.strata.dicom.deid.ProfileColumn.BASIC).equals("X") && row.mask() == -1) {
        removed.put(row.tag(), row.name());
      }
    }
    java.util.Set<String> studies = new java.util.HashSet<>();
    java.util.Set<String> series = new java.util.HashSet<>();
    Map<String, String> sopByNumber = new java.util.HashMap<>();
    for (var e : first.entrySet()) {
      List<Dcmdump.Element> dump = e.getValue();
      for (Dcmdump.Element el : dump) {
        int tag = (int) Long.parseLong(el.tag(), 16);
        assertTrue(!removed.containsKey(tag), e.getKey() + " keeps " + removed.get(tag));
        assertTrue((el.group() & 1) == 0, e.getKey() + " keeps private " + el.tag());
        assertTrue(!el.text().contains(ct.studyUid), e.getKey() + " names the original study");
      }
      String sop = Dcmdump.top(dump, "00080018");
      assertEquals(sop, Dcmdump.top(dump, "00020003"), "Media Storage SOP Instance UID");
      assertEquals("", Dcmdump.top(dump, "00100010"), "Patient's Name emptied (Z)");
      assertTrue(!Dcmdump.top(dump, "00100020").contains("PID-1"), "Patient ID replaced");
      assertEquals("YES", Dcmdump.top(dump, "00120062"));
      studies.add(Dcmdump.top(dump, "0020000d"));
      series.add(Dcmdump.top(dump, "0020000e"));
      sopByNumber.put(Dcmdump.top(dump, "00200013"), sop);
    }
    assertEquals(1, studies.size(), "one study: " + studies);
    assertEquals(1, series.size(), "one series: " + series);
    assertTrue(studies.iterator().next().startsWith("2.25."));
    assertTrue(!studies.contains(ct.studyUid));
    // references follow: instance 2 points at instance 1's new SOP Instance UID
    String refd =
        first.get(sopByNumber.get("2")).stream()
            .filter(el -> el.depth() > 0 && el.tag().equals("00081155"))
            .map(Dcmdump.Element::text)
            .findFirst()
            .orElseThrow();
    assertEquals(sopByNumber.get("1"), refd);
    AuditRecord export = exportRecords(ct.studyUid, 1).get(0);
    assertTrue(export.detail().contains("de-identified"), export.detail());

    // the same study exported again to the same destination: the same UIDs
    for (Path f : pacs.files()) {
      Files.delete(f);
    }
    publish(ct.store(s3).events());
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobs("pacs-deid").stream().filter(j -> "SENT".equals(j.get("state"))).count() == 2);
    await().atMost(WAIT).until(() -> pacs.files().size() == 3);
    assertEquals(first.keySet(), received(pacs).keySet());
  }

  @Test
  void aDeidentifyingJobWhoseKeyCannotBeReadSendsNothing() throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), "pacs-nokey");
    knownAe("PACS-NOKEY", pacs.port());
    putDestination(
        "pacs-nokey",
        "{\"dimse\":{\"aeTitle\":\"PACS-NOKEY\"},\"deidentificationKey\":{\"file\":\""
            + RoutingTestProfile.DIR.resolve("no-such-key-" + UUID.randomUUID())
            + "\"}}");
    putRule(
        "deid-nokey",
        "{\"when\":\"tenant == 'route-nokey'\",\"trigger\":\"STUDY\",\"quietPeriod\":\"PT0.2S\","
            + "\"destination\":\"pacs-nokey\",\"deidentify\":{}}");
    StoredStudyMother ct = new StoredStudyMother();
    ct.tenant = "route-nokey";
    ct.identifying = true;
    ct.instances = 1;
    publish(ct.store(s3).events());
    Map<String, Object> dead = awaitJob("pacs-nokey", "DEAD");
    assertEquals(
        "de-identification key of destination pacs-nokey: file not readable (NoSuchFileException)",
        dead.get("lastReason"));
    assertTrue(pacs.files().isEmpty(), "sent without its key: " + pacs.files());
  }

  /** What storescp received, by SOP Instance UID (as dcmdump reads it). */
  private static Map<String, List<Dcmdump.Element>> received(StoreScpPeer pacs) throws Exception {
    Map<String, List<Dcmdump.Element>> out = new java.util.TreeMap<>();
    for (Path f : pacs.files()) {
      List<Dcmdump.Element> dump = Dcmdump.elements(f);
      out.put(Dcmdump.top(dump, "00080018"), dump);
    }
    return out;
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

    // a list of instances: only those are queued; one the study does not have is 404
    String second = ct.studyUid + ".1.2";
    String listed =
        "{\"destination\":\"pacs-m\",\"studyInstanceUid\":\""
            + ct.studyUid
            + "\",\"sopInstanceUids\":[%s]}";
    exportRequest("route-m", listed.formatted("\"" + second + "\",\"" + ct.studyUid + ".1.9\""))
        .then()
        .statusCode(404)
        .body("reason", equalTo("1 of the 2 listed instances are not in the study (or series)"));
    exportRequest("route-m", listed.formatted("\"not a uid\"")).then().statusCode(400);
    String listJob =
        exportRequest("route-m", listed.formatted("\"" + second + "\""))
            .then()
            .statusCode(202)
            .body("instances", equalTo(1))
            .extract()
            .path("jobId");
    await().atMost(WAIT).until(() -> job(listJob).get("state").equals("SENT"));
    assertEquals(1, job(listJob).get("sent"));
    RoutingJob listRecord = EventCodec.decode(IndexRows.jobRecord(listJob), RoutingJob.class);
    assertEquals(second, listRecord.instances().get(0).sopInstanceUid());
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

    // never matched: no match for 7 days (never-matched-after), counted from
    // when the rule was first seen; a rule first seen now is not reported yet
    var report = given().get("/admin/rule-matches").then().statusCode(200).extract().jsonPath();
    List<String> never = report.getList("neverMatched");
    assertTrue(!never.contains("dry-never"), "first seen now: " + never);
    assertEquals(1, report.getInt("rules.find { it.id == 'dry-mr' }.matches"));
    IndexRows.ageRuleMatches("dry-never", 8);
    IndexRows.ageRuleMatches("dry-ct", 8);
    report = given().get("/admin/rule-matches").then().statusCode(200).extract().jsonPath();
    never = report.getList("neverMatched");
    assertTrue(never.contains("dry-never"), "first seen 8 days ago: " + never);
    assertTrue(!never.contains("dry-mr") && !never.contains("dry-ct"), "" + never);
    // the counts are in routing.rule_match: a new instance (as after a restart, nothing in
    // memory) reports them, and a match 8 days old no longer keeps a rule off the list
    RuleMatches restarted =
        new RuleMatches(
            ruleMatchTable,
            new SimpleMeterRegistry(),
            Duration.ofDays(7),
            Duration.ofSeconds(5),
            routingRules::book);
    RuleMatches.RuleFigures mrFigures =
        restarted.report().rules().stream().filter(f -> f.id().equals("dry-mr")).findFirst().get();
    assertEquals(1, mrFigures.matches());
    assertTrue(mrFigures.lastMatchAt() != null && mrFigures.firstSeen() != null, "" + mrFigures);
    IndexRows.ageRuleMatches("dry-mr", 8);
    assertTrue(restarted.report().neverMatched().contains("dry-mr"));
    given().post("/admin/rules/dry-run?last=0").then().statusCode(400);
    given().post("/admin/rules/nothing-like-it/dry-run").then().statusCode(404);
    assertEquals("RECENT", ctRun.getString("source"));

    // a study routing never saw (in the index only, as after a restart) is read from the index:
    // tenant, modality and attributes as indexed; the index keeps no channel, so it is empty
    putRule(
        "dry-indexed",
        "{\"when\":\"tenant == 'route-dry-ix' && modality == 'CT' && dicom.StudyDescription =="
            + " 'ROUTING TEST'\",\"enabled\":false,\"destination\":\"pacs-dry\"}");
    putRule(
        "dry-indexed-dimse",
        "{\"when\":\"tenant == 'route-dry-ix' && channel == 'DIMSE'\",\"enabled\":false,"
            + "\"destination\":\"pacs-dry\"}");
    StoredStudyMother indexed = new StoredStudyMother();
    indexed.tenant = "route-dry-ix";
    indexed.instances = 2;
    IndexRows.index(indexed.store(s3));
    var indexRun = dryRun("/admin/rules/dry-run", indexed.studyUid);
    assertEquals("INDEX", indexRun.getString("source"));
    assertEquals(2, indexRun.getInt("evaluated"));
    assertEquals("route-dry-ix", indexRun.getString("studies[0].tenant"));
    assertEquals(List.of("dry-indexed"), indexRun.getList("studies[0].matches.rule"));
    assertEquals(2, indexRun.getInt("studies[0].matches[0].instances"));
    assertEquals(
        1, dryRun("/admin/rules/dry-indexed/dry-run", indexed.studyUid).getList("studies").size());
    // a study neither recent nor indexed: nothing evaluated
    assertEquals(0, dryRun("/admin/rules/dry-run", indexed.studyUid + ".9").getInt("evaluated"));
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

  /**
   * Storage Commitment (ADR 0052): Orthanc, a real Storage Commitment SCP, reports on an
   * association it opens to routing's listener; the job is SENT once it has committed every
   * instance.
   */
  @Test
  void aDimseDestinationWithCommitIsSentOnceOrthancCommitsEveryInstance() throws Exception {
    try (OrthancPeer orthanc = committingOrthanc("orthanc-commit", null)) {
      studyRule("study-to-orthanc-commit", "route-sc", "orthanc-commit", "PT2S");
      StoredStudyMother ct = publishStudy("route-sc", 2);

      Map<String, Object> job = awaitJob("orthanc-commit", "SENT");
      assertEquals(2, job.get("sent"));
      assertEquals(1, job.get("attempts"));
      assertEquals(ct.studyUid, job.get("studyInstanceUid"));
      assertEquals(2, exportRecords(ct.studyUid, 1).get(0).studies().get(0).instanceCount());
    }
  }

  /**
   * A destination that acknowledges each C-STORE but does not keep the instances (Orthanc deleting
   * what it stored, by Lua) reports them as not committed: the job is never SENT; the instances are
   * sent again on every attempt and the job dies with the commitment's reason.
   */
  @Test
  void aDimseDestinationThatDoesNotCommitWhatItStoredIsNotSent() throws Exception {
    String forget =
        "function OnStoredInstance(id, tags, metadata, origin)\n"
            + "  RestApiDelete('/instances/' .. id)\n"
            + "end\n";
    try (OrthancPeer orthanc = committingOrthanc("orthanc-forgets", forget)) {
      studyRule("study-to-orthanc-forgets", "route-sf", "orthanc-forgets");
      publishStudy("route-sf", 1);

      Map<String, Object> dead = awaitJob("orthanc-forgets", "DEAD");
      assertEquals(
          "storage commitment: 1 of the 1 instances sent not committed (failure reason 0112)",
          dead.get("lastReason"));
      assertEquals(0, dead.get("sent"));
      assertEquals(3, dead.get("attempts"));
    }
  }

  /**
   * A peer that answers every C-STORE with success and then aborts instead of releasing (as some
   * PACS drop the connection): the instances are delivered, so the job is SENT after one attempt,
   * each instance received once. (Before the fix the attempt failed with nothing left to send and
   * every later one on the empty job: DEAD with "C-STORE failed: IllegalArgumentException".)
   */
  @Test
  void aPeerThatAbortsInsteadOfReleasingHasTheJobSentOnce() throws Exception {
    java.util.concurrent.atomic.AtomicInteger received =
        new java.util.concurrent.atomic.AtomicInteger();
    try (org.strata.dicom.net.DicomServer dropper =
        org.strata.dicom.net.DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("DROPPER")
            .registry(
                new org.strata.dicom.net.DimseRegistry()
                    .registerStorage(
                        (rq, data) -> {
                          data.transferTo(java.io.OutputStream.nullOutputStream());
                          received.incrementAndGet();
                          return org.strata.dicom.net.Status.SUCCESS;
                        }))
            .listener(
                new org.strata.dicom.net.AssociationListener() {
                  @Override
                  public void beforeReleaseResponse(org.strata.dicom.net.Association as) {
                    as.abort();
                  }
                })
            .build()
            .start()) {
      putDestination(
          "dropper",
          "{\"dimse\":{\"aeTitle\":\"DROPPER\",\"host\":\"127.0.0.1\",\"port\":"
              + dropper.port()
              + "}}");
      studyRule("study-to-dropper", "route-dr", "dropper", "PT2S");
      publishStudy("route-dr", 2);

      Map<String, Object> job = awaitJob("dropper", "SENT");
      assertEquals(2, job.get("sent"));
      assertEquals(1, job.get("attempts"));
      assertEquals(2, received.get());
    }
  }

  /** Orthanc as a DIMSE destination with commit: true, reporting to routing's listener. */
  private OrthancPeer committingOrthanc(String destination, String lua) throws Exception {
    Path dir = RoutingTestProfile.DIR.resolve(destination + "-" + UUID.randomUUID());
    Files.createDirectories(dir);
    int dicomPort = StoreScpPeer.freePort();
    OrthancPeer orthanc =
        OrthancPeer.start(dir, dicomPort, "STRATA-ROUTER", commitmentPort, 1, lua);
    // its DICOM port may open after its REST API
    await()
        .atMost(WAIT)
        .until(
            () -> {
              try (java.net.Socket s = new java.net.Socket("127.0.0.1", dicomPort)) {
                return true;
              } catch (java.io.IOException e) {
                return false;
              }
            });
    putDestination(
        destination,
        "{\"dimse\":{\"aeTitle\":\"ORTHANC\",\"host\":\"127.0.0.1\",\"port\":"
            + dicomPort
            + ",\"commit\":true}}");
    return orthanc;
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
    studyRule(id, tenant, destination, "PT0.2S");
  }

  /**
   * The same, quiet after {@code quietPeriod}: long enough that a loaded machine does not split a
   * study published instance by instance into several jobs.
   */
  private static void studyRule(String id, String tenant, String destination, String quietPeriod) {
    putRule(
        id,
        "{\"when\":\"tenant == '"
            + tenant
            + "'\",\"trigger\":\"STUDY\",\"quietPeriod\":\""
            + quietPeriod
            + "\",\"destination\":\""
            + destination
            + "\"}");
  }

  /** storescp listening as a destination: its AE in the known-AE file, the destination set. */
  private StoreScpPeer storeScpDestination(String name, String aeTitle) throws Exception {
    StoreScpPeer pacs = peer(StoreScpPeer.freePort(), name);
    knownAe(aeTitle, pacs.port());
    putDestination(name, "{\"dimse\":{\"aeTitle\":\"" + aeTitle + "\"}}");
    return pacs;
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
