package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;

/**
 * Object storage, then Kafka, stopped in the middle of an ingest run: failures are reported, none
 * is a false success, readiness says which server is away, and afterwards every acknowledged
 * instance has its object and its event.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class IngestFaultTest {
  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @Test
  void nothingIsFalselyAcknowledgedWhenS3OrKafkaGoesDown() throws Exception {
    Platform platform = SharedPlatform.require(Set.of(Component.KAFKA, Component.S3));
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    List<String> acknowledged = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int n = 0;

    // Healthy, then S3 down, S3 back, Kafka down, Kafka back: five requests of two instances per
    // phase (their events go out together, ADR 0066: each instance is answered on its own all the
    // same, from the response's sequences).
    Runnable[] phases = {
      () -> {},
      () -> platform.stop(Component.S3),
      () -> platform.ensureStarted(Set.of(Component.S3)),
      () -> platform.stop(Component.KAFKA),
      () -> platform.ensureStarted(Set.of(Component.KAFKA)),
    };
    // 200: stored as received; 503: nothing stored, every failure transient.
    int[] expectedStatus = {200, 503, 200, 503, 200};
    String[] downCheck = {null, "object storage", null, "kafka", null};
    for (int phase = 0; phase < phases.length; phase++) {
      phases[phase].run();
      for (int i = 0; i < 5; i++) {
        List<String> sops = List.of(study + ".1." + (++n), study + ".1." + (++n));
        Response r =
            given()
                .contentType(Multipart.CONTENT_TYPE)
                .body(
                    Multipart.of(
                        sops.stream()
                            .map(sop -> DicomFiles.instance(study, study + ".1", sop, "F1", 2048))
                            .toList()))
                .post("/dicomweb/studies/" + study);
        if (r.statusCode() == 200 || r.statusCode() == 202) {
          List<String> stored =
              r.jsonPath()
                  .getList("'00081199'.Value.collect { it.'00081155'.Value[0] }", String.class);
          acknowledged.addAll(stored);
          sops.stream().filter(sop -> !stored.contains(sop)).forEach(refused::add);
        } else {
          refused.addAll(sops);
        }
        if (r.statusCode() != 200) {
          assertTrue(r.asString().contains("42752"), "failure reason A700: " + r.asString());
        }
        if (phase != 3 || i > 0) {
          // (the first store after Kafka stops may still race the broker's shutdown)
          assertEquals(expectedStatus[phase], r.statusCode(), "phase " + phase + " request " + i);
        }
      }
      assertReadiness(downCheck[phase], "phase " + phase);
    }

    // Every acknowledged instance has its object and exactly one event; no refused one has either.
    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    Set<String> events = events(study);
    for (String sop : acknowledged) {
      assertTrue(store.stat(key(study, sop)).isPresent(), "object of acknowledged " + sop);
      assertTrue(events.contains(sop), "event of acknowledged " + sop);
    }
    for (String sop : refused) {
      assertTrue(store.stat(key(study, sop)).isEmpty(), "object of refused " + sop);
      assertTrue(!events.contains(sop), "event of refused " + sop);
    }
    assertEquals(30, acknowledged.size(), "acknowledged " + acknowledged);
  }

  /**
   * Readiness answers (a probe that hangs is as bad as a wrong answer: the socket timeout makes a
   * hang fail the test): DOWN at once, naming the server that is away; UP again once the server is
   * back and the consumers have rejoined their groups (waited for, with a generous ceiling).
   */
  private static void assertReadiness(String down, String phase) throws InterruptedException {
    if (down == null) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      Response r = readiness();
      while (r.statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        r = readiness();
      }
      assertEquals(200, r.statusCode(), phase + " readiness: " + r.asString());
      return;
    }
    Response r = readiness();
    assertEquals(503, r.statusCode(), phase + " readiness: " + r.asString());
    List<Map<String, Object>> checks = r.jsonPath().getList("checks");
    assertTrue(
        checks.stream().anyMatch(c -> down.equals(c.get("name")) && "DOWN".equals(c.get("status"))),
        phase + ": " + down + " DOWN in " + checks);
  }

  private static Response readiness() {
    return given()
        .config(
            RestAssuredConfig.config()
                .httpClient(
                    HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 30_000)))
        .get("/q/health/ready");
  }

  private static String key(String study, String sop) {
    return "local/" + study + "/" + study + ".1/" + sop + ".dcm";
  }

  private Set<String> events(String study) {
    Set<String> sops = new HashSet<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(Topics.INSTANCE_STORED.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          InstanceStored e = EventCodec.decode(r.value(), InstanceStored.class);
          if (study.equals(e.studyInstanceUid()) && !sops.add(e.sopInstanceUid())) {
            throw new AssertionError("two events for " + e.sopInstanceUid());
          }
        }
        if (sops.size() >= 15) {
          break;
        }
      }
    }
    return sops;
  }
}
