package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.ingest.PydicomSamples.Sample;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * STOW-RS on the real platform (Kafka, S3): real sample files are stored byte for byte with their
 * events; bad input gets the right failure, and leaves nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class StowTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "strata.s3.access-key")
  String s3AccessKey;

  @ConfigProperty(name = "strata.s3.secret-key")
  String s3SecretKey;

  @Inject MeterRegistry metrics;

  /**
   * What the benchmark reads per instance (targets.md): S3 body bytes counted at the storage door,
   * and the requests of the InstanceStored producer; the ten events of one request travel in one
   * produce request (ADR 0066), not in one each.
   */
  @Test
  void tenInstancesOfOneRequestTakeOneKafkaRoundTripAndAreCountedInS3Bytes() throws Exception {
    String uid = "1.2.826.0.1.3680043.10.1137.59." + (System.nanoTime() % 1_000_000_000L);
    // One instance first: the producer's first requests (metadata, producer id) are behind it.
    double produced = producerRequests();
    store(List.of(DicomFiles.instance(uid, uid + ".1", uid + ".1.0", "COST59", 4096)));
    assertTrue(producerRequests() > produced, "the event's produce request is counted");

    List<byte[]> ten = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ten.add(DicomFiles.instance(uid, uid + ".1", uid + ".1." + i, "COST59", 4096));
    }
    double sent = meter("strata.storage.body", "direction", "sent");
    produced = producerRequests();
    store(ten);
    assertTrue(
        meter("strata.storage.body", "direction", "sent") - sent
            >= ten.stream().mapToInt(b -> b.length).sum(),
        "the objects' bytes went to S3");
    double roundTrips = producerRequests() - produced;
    // One produce request; one more only if the producer refreshed its metadata meanwhile.
    assertTrue(roundTrips >= 1 && roundTrips <= 2, roundTrips + " round trips for 10 events");
  }

  private void store(List<byte[]> instances) {
    Response response =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(Multipart.of(instances))
            .post("/dicomweb/studies");
    assertEquals(200, response.statusCode(), response.asString());
  }

  private double producerRequests() {
    return meter(
        "kafka.producer.request.total",
        "client.id",
        org.strata.ingest.messaging.InstanceStoredPublisher.CLIENT_ID);
  }

  private double meter(String name, String tag, String value) {
    return metrics.find(name).tag(tag, value).functionCounters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void everyPydicomSampleIsStoredByteForByteWithItsEvent() throws Exception {
    List<Sample> samples = PydicomSamples.all();
    assertTrue(samples.size() > 60, "expected the pydicom samples, found " + samples.size());

    Response response =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(Multipart.of(samples.stream().map(Sample::bytes).toList()))
            .post("/dicomweb/studies");
    assertEquals(202, response.statusCode(), response.asString());

    // Expected outcome per part given the object kept under each key (PydicomSamples.kept): the
    // kept bytes are stored (first store or duplicate), different bytes under its SOP Instance UID
    // refused (0x0111), what dcmdump cannot read or has no valid UIDs 0xC000.
    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    Map<String, Sample> kept = PydicomSamples.kept(samples, store, "local");
    List<Integer> expected = PydicomSamples.expectedStatuses(samples, kept, "local");
    JsonPath json = response.jsonPath();
    List<String> storedSops =
        json.getList("'00081199'.Value.collect { it.'00081155'.Value[0] }", String.class);
    List<Integer> failedReasons =
        json.getList("'00081198'.Value.collect { it.'00081197'.Value[0] }", Integer.class);
    List<String> expectedSops = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (expected.get(i) == 0) {
        expectedSops.add(samples.get(i).sop() + " " + samples.get(i).file().getFileName());
      }
    }
    assertEquals(
        expectedSops.stream().map(x -> x.split(" ")[0]).sorted().toList(),
        storedSops.stream().sorted().toList(),
        "stored instances (expected: " + expectedSops + ")");
    assertEquals(
        expected.stream().filter(c -> c != 0).sorted().toList(),
        failedReasons.stream().sorted().toList(),
        "failure reasons");

    java.util.Set<String> sops = new java.util.HashSet<>();
    kept.values().forEach(s -> sops.add(s.sop()));
    Map<String, InstanceStored> events = events(sops, sops.size());
    for (var k : kept.entrySet()) {
      Sample s = k.getValue();
      String key = k.getKey() + ".dcm";
      InstanceStored e = events.get(s.sop());
      assertTrue(e != null, "no event for " + s.name());
      assertEquals(s.uids().get("0020,000d"), e.studyInstanceUid(), s.file().toString());
      assertEquals(s.uids().get("0008,0016"), e.sopClassUid());
      assertEquals(s.uids().get("0002,0010"), e.transferSyntaxUid());
      assertEquals(key, e.objectLocation().key());
      assertEquals(s.bytes().length, e.objectLocation().size());
      assertEquals(sha256(s.bytes()), e.objectLocation().sha256());
      assertEquals("local", e.tenant());
      assertEquals(InstanceStored.Channel.STOWRS, e.source().channel());
    }
  }

  @Test
  void badInputIsRefusedWithTheRightReasonAndLeavesNothing() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    byte[] good = DicomFiles.instance(study, series, series + ".1", "P1", 1024);

    // Not DICOM at all.
    stow(Multipart.of(List.of("hello, not dicom".getBytes())), null)
        .then()
        .statusCode(409)
        .body(containsString("49152"));
    // A non-DICOM media type part.
    stow(Multipart.of(List.of(good), "text/plain"), null).then().statusCode(409);
    // Truncated inside the header.
    stow(Multipart.of(List.of(java.util.Arrays.copyOf(good, 200))), null)
        .then()
        .statusCode(409)
        .body(containsString("49152"));
    // Missing and malformed UIDs.
    stow(Multipart.of(List.of(DicomFiles.instance(study, series, "1.2.abc", "P1", 16))), null)
        .then()
        .statusCode(409)
        .body(containsString("49152"));
    // A study that does not match the URL.
    stow(Multipart.of(List.of(good)), "1.2.3.4")
        .then()
        .statusCode(409)
        .body(containsString("43264"));
    // A broken boundary: the closing delimiter never comes.
    byte[] broken = Multipart.of(List.of(good));
    stow(java.util.Arrays.copyOf(broken, broken.length - 30), null).then().statusCode(400);
    // A root media type Strata does not take (DICOM XML metadata; JSON: DicomJsonStowTest).
    given()
        .contentType(
            "multipart/related; type=\"application/dicom+xml\"; boundary=" + Multipart.BOUNDARY)
        .body(Multipart.of(List.of("{}".getBytes())))
        .post("/dicomweb/studies")
        .then()
        .statusCode(415)
        .body(containsString("not supported"));
    // An object over the configured maximum object size (test profile: 20 MB).
    String bigSop = series + ".99";
    stow(Multipart.of(List.of(DicomFiles.instance(study, series, bigSop, "P1", 21_000_000))), null)
        .then()
        .statusCode(409)
        .body(containsString("42753"));
    // A body over the configured request limit (test profile: 64 MB): refused before reading.
    java.net.http.HttpResponse<String> tooBig =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:"
                                + io.restassured.RestAssured.port
                                + "/dicomweb/studies"))
                    .header("Content-Type", Multipart.CONTENT_TYPE)
                    .expectContinue(true)
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                            new byte[65 * 1024 * 1024]))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(413, tooBig.statusCode());

    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    assertTrue(store.stat("local/" + study + "/" + series + "/" + bigSop + ".dcm").isEmpty());
    assertTrue(store.stat("local/" + study + "/" + series + "/" + series + ".1.dcm").isEmpty());
    assertEquals(0, events(java.util.Set.of(series + ".1", bigSop), 0).size(), "no event");
  }

  @Test
  void theSameInstanceTwiceIsOneObjectAndOneEvent() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    String sop = series + ".1";
    byte[] file = DicomFiles.instance(study, series, sop, "P2", 4096);
    stow(Multipart.of(List.of(file)), study).then().statusCode(200);
    Response again = stow(Multipart.of(List.of(file)), study);
    assertEquals(200, again.statusCode()); // acknowledged, nothing new stored
    assertEquals(
        List.of(sop),
        again
            .jsonPath()
            .getList("'00081199'.Value.collect { it.'00081155'.Value[0] }", String.class));
    assertEquals(1, events(java.util.Set.of(sop), 1).size());

    // Different content under the same SOP Instance UID is refused (default policy).
    byte[] other = DicomFiles.instance(study, series, sop, "P2", 4098);
    stow(Multipart.of(List.of(other)), study).then().statusCode(409).body(containsString("273"));
  }

  /**
   * ADR 0019: a clean instance without Issuer of Patient ID is stored as received, not coerced, so
   * the local profile answers 200 without Warning Reason (it used to be 202 with B000 although
   * nothing in the stored object changed); the event carries the attributes as received.
   */
  @Test
  void aCleanInstanceIsStoredWith200AndNoWarningReason() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String sop = study + ".1.1";
    Response r =
        stow(Multipart.of(List.of(DicomFiles.instance(study, study + ".1", sop, "P3", 16))), study);
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(
        List.of(sop),
        r.jsonPath().getList("'00081199'.Value.collect { it.'00081155'.Value[0] }", String.class));
    assertFalse(r.asString().contains("00081196"), "no Warning Reason: " + r.asString());
    assertFalse(r.asString().contains("00081198"), "no failure: " + r.asString());
    String retrieveUrl = r.jsonPath().getString("'00081190'.Value[0]");
    assertTrue(
        retrieveUrl.endsWith(":" + io.restassured.RestAssured.port + "/dicomweb/studies/" + study),
        retrieveUrl);
    InstanceStored e = events(java.util.Set.of(sop), 1).get(sop);
    assertNull(e.issuerOfPatientId(), "as received: the index gives the tenant's default issuer");
    assertFalse(e.attributes().has("00100021"), e.attributes().toString());
    assertEquals("P3", e.patientId());
    assertEquals(
        "Test^Patient",
        e.attributes().get("00100010").get("Value").get(0).get("Alphabetic").asText());
  }

  /**
   * ADR 0023: a NUL inside a value (here Patient ID) is a careless sender's, not a reason to refuse
   * an instance: it is stored byte for byte, and its event carries the value as dicom-core reads
   * it, without the NUL, so the index never meets one from ingest.
   */
  @Test
  void anInstanceWithANulInsideAValueIsStoredAsReceivedAndItsEventHoldsNone() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    String sop = series + ".1";
    byte[] file = DicomFiles.instance(study, series, sop, "NUL\0INSIDE", 16);
    Response r = stow(Multipart.of(List.of(file)), study);
    assertEquals(200, r.statusCode(), r.asString());
    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    try (InputStream in = store.get("local/" + study + "/" + series + "/" + sop + ".dcm")) {
      assertArrayEquals(file, in.readAllBytes(), "stored as received, NUL included");
    }
    InstanceStored e = events(java.util.Set.of(sop), 1).get(sop);
    assertEquals("NULINSIDE", e.patientId());
    assertEquals("NULINSIDE", e.attributes().get("00100020").get("Value").get(0).asText());
  }

  private Response stow(byte[] body, String study) {
    return given()
        .contentType(Multipart.CONTENT_TYPE)
        .body(body)
        .post(study == null ? "/dicomweb/studies" : "/dicomweb/studies/" + study);
  }

  /** The InstanceStored events of these SOP instances, once {@code expected} of them arrived. */
  private Map<String, InstanceStored> events(java.util.Set<String> sops, int expected) {
    Map<String, InstanceStored> found = new LinkedHashMap<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(Topics.INSTANCE_STORED.name()));
      long deadline = System.nanoTime() + (expected == 0 ? Duration.ofSeconds(5) : WAIT).toNanos();
      while (System.nanoTime() < deadline && (expected == 0 || found.size() < expected)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          InstanceStored e = EventCodec.decode(r.value(), InstanceStored.class);
          // Other test classes store the same samples under other tenants.
          if (sops.contains(e.sopInstanceUid()) && "local".equals(e.tenant())) {
            assertEquals(e.studyInstanceUid(), r.key(), "record key");
            found.merge(
                e.sopInstanceUid(),
                e,
                (a, b) -> {
                  throw new AssertionError("two events for " + a.sopInstanceUid());
                });
          }
        }
      }
    }
    return found;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
