package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;

/**
 * Read-your-writes (ADR 0010): a STOW-RS answer waits until the index has acknowledged the stored
 * instances on {@code strata.instance.indexed}. The index service is played here by the test, which
 * holds its acknowledgement until told to send it, so the test sees the order of events.
 */
@QuarkusTest
@TestProfile(StowReadYourWritesTest.Enabled.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class StowReadYourWritesTest {
  public static final class Enabled implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Profiled keys: application.properties switches the wait off for %test.
      return Map.of(
          "%test.strata.ingest.read-your-writes.enabled", "true",
          "%test.strata.ingest.read-your-writes.timeout", "8s");
    }
  }

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @TestHTTPResource("/dicomweb/studies")
  URL stowUrl;

  /** InstanceStored events seen by the stand-in index, by SOP Instance UID. */
  private final Map<String, InstanceStored> seen = new ConcurrentHashMap<>();

  private final BlockingQueue<InstanceStored> arrivals = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private Thread standIn;

  @BeforeEach
  void startStandInIndex() throws InterruptedException {
    running = true;
    CompletableFuture<Void> ready = new CompletableFuture<>();
    standIn =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps())) {
                    List<TopicPartition> partitions =
                        c.partitionsFor(Topics.INSTANCE_STORED.name()).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
                    c.assign(partitions);
                    c.seekToEnd(partitions);
                    partitions.forEach(c::position);
                    ready.complete(null);
                    while (running) {
                      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        InstanceStored e = EventCodec.decode(r.value(), InstanceStored.class);
                        seen.put(e.sopInstanceUid(), e);
                        arrivals.add(e);
                      }
                    }
                  }
                });
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stand-in index did not get its partitions", e);
    }
  }

  @AfterEach
  void stopStandIn() throws InterruptedException {
    running = false;
    standIn.join(10_000);
  }

  @Test
  void stowAnswersOnlyAfterTheIndexAcknowledged() throws Exception {
    String study = uid(), series = uid(), sop = uid();
    byte[] body = Multipart.of(List.of(DicomFiles.instance(study, series, sop, "RYW-1", 2048)));
    CompletableFuture<HttpResponse<String>> stow = post(stowUrl.toString(), body);

    // The object is durable and its event acknowledged: only the index acknowledgement is missing.
    InstanceStored stored = awaitArrival(sop);
    assertFalse(stow.isDone(), "STOW answered before the index acknowledged the instance");

    acknowledge(stored);
    HttpResponse<String> response = stow.get(60, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Warning").isEmpty(),
        "no warning when the index acknowledged in time");
  }

  @Test
  void aSilentIndexTurnsIntoAWarningNotAFailure() throws Exception {
    String study = uid(), series = uid(), sop = uid();
    Response response =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(Multipart.of(List.of(DicomFiles.instance(study, series, sop, "RYW-2", 2048))))
            .post("/dicomweb/studies");
    // Stored: 200, and the Warning header says that a search may not find it yet.
    assertEquals(200, response.statusCode(), response.asString());
    String warning = response.header("Warning");
    assertNotNull(warning, "a response sent before the index acknowledged must say so");
    assertTrue(warning.startsWith("299 "), warning);
    assertTrue(warning.contains("indexing pending"), warning);
    assertNotNull(seen.get(sop), "the instance is durable and its event published");
  }

  @Test
  void onlyTheInstancesOfTheRequestAreAwaited() throws Exception {
    // An acknowledgement for some other instance must not release this request.
    String study = uid(), series = uid();
    String first = uid(), second = uid();
    byte[] body =
        Multipart.of(
            List.of(
                DicomFiles.instance(study, series, first, "RYW-3", 512),
                DicomFiles.instance(study, series, second, "RYW-3", 512)));
    CompletableFuture<HttpResponse<String>> stow = post(stowUrl + "/" + study, body);
    InstanceStored a = awaitArrival(first);
    InstanceStored b = awaitArrival(second);
    acknowledge(a);
    acknowledge(otherInstanceIndexed(study, series));
    assertFalse(stow.isDone(), "released before the second instance was indexed");
    acknowledge(b);
    HttpResponse<String> response = stow.get(60, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Warning").isEmpty());
  }

  private static CompletableFuture<HttpResponse<String>> post(String url, byte[] body) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private InstanceStored awaitArrival(String sop) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      InstanceStored e = seen.get(sop);
      if (e != null) {
        return e;
      }
      arrivals.poll(200, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("no InstanceStored for the uploaded instance");
  }

  private void acknowledge(InstanceStored stored) throws Exception {
    acknowledge(
        new InstanceIndexed(
            UUID.randomUUID().toString(),
            Instant.now(),
            stored.tenant(),
            stored.studyInstanceUid(),
            stored.seriesInstanceUid(),
            stored.sopInstanceUid(),
            stored.eventId()));
  }

  private static InstanceIndexed otherInstanceIndexed(String study, String series) {
    return new InstanceIndexed(
        UUID.randomUUID().toString(),
        Instant.now(),
        "local",
        study,
        series,
        uid(),
        UUID.randomUUID().toString());
  }

  private void acknowledge(InstanceIndexed indexed) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.INSTANCE_INDEXED.name(), indexed.key(), EventCodec.encode(indexed)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private Properties consumerProps() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private static String uid() {
    return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }
}
