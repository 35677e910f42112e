package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;

/**
 * An InstanceStored of a newer schema version than this service knows stops its partition (ADR
 * 0007): the events before it are indexed, the ones after it are not, the other partitions go on,
 * the committed offset stays on it, nothing goes to the dead-letter topic, readiness is DOWN and
 * the gauge counts the partition.
 */
@QuarkusTest
@TestProfile(FutureSchemaVersionTest.Profile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class FutureSchemaVersionTest extends IndexTestSupport {
  static final String TOPIC = "strata.instance.stored.future-test";

  public static final class Profile extends OwnTopicProfile {
    @Override
    String topic() {
      return TOPIC;
    }
  }

  @Test
  void aNewerEventStopsItsPartitionInsteadOfBeingDeadLettered() throws Exception {
    InstanceStoredMother before = new InstanceStoredMother();
    InstanceStoredMother newer = before.nextInstance();
    InstanceStoredMother after = newer.nextInstance();
    InstanceStoredMother otherPartition = new InstanceStoredMother();

    ObjectNode future = (ObjectNode) new ObjectMapper().readTree(EventCodec.encode(newer.build()));
    future.put("schemaVersion", InstanceStored.SCHEMA_VERSION + 1);
    future.put("aFieldOfTheFuture", "x");
    byte[] futurePayload = new ObjectMapper().writeValueAsBytes(future);

    long futureOffset =
        producer
                .send(new ProducerRecord<>(TOPIC, 0, before.studyUid, bytes(before.build())))
                .get()
                .offset()
            + 1;
    assertEquals(
        futureOffset,
        producer
            .send(new ProducerRecord<>(TOPIC, 0, newer.studyUid, futurePayload))
            .get()
            .offset());
    producer.send(new ProducerRecord<>(TOPIC, 0, after.studyUid, bytes(after.build()))).get();
    producer
        .send(
            new ProducerRecord<>(TOPIC, 1, otherPartition.studyUid, bytes(otherPartition.build())))
        .get();

    awaitInstances(otherPartition.studyUid, 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body(containsString("stopped " + TOPIC + "-0"))
                    .body(containsString("at offset " + futureOffset)));
    awaitInstances(before.studyUid, 1);
    // The partition stopped on the newer event: the event after it is never applied.
    assertEquals(
        "1",
        query("select count(*) from instance where sop_instance_uid = '" + before.sopUid + "'"));
    assertEquals(
        "0",
        query("select count(*) from instance where sop_instance_uid = '" + newer.sopUid + "'"));
    assertEquals(
        "0",
        query("select count(*) from instance where sop_instance_uid = '" + after.sopUid + "'"));

    given().get("/q/metrics").then().body(containsString("strata_index_partitions_stopped 1.0"));

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicPartition p0 = new TopicPartition(TOPIC, 0);
      // An upgraded service resumes on the newer event: the offset stays on it.
      await()
          .atMost(WAIT)
          .until(
              () -> {
                OffsetAndMetadata committed =
                    admin
                        .listConsumerGroupOffsets("strata-index-" + TOPIC)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(p0);
                return committed != null && committed.offset() == futureOffset;
              });

      // Nothing of it in the dead-letter topic, read to its end.
      TopicPartition[] dlq = deadLetterPartitions(admin);
      ListOffsetsResult ends =
          admin.listOffsets(
              java.util.Arrays.stream(dlq)
                  .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())));
      try (KafkaConsumer<String, byte[]> consumer = consumer()) {
        consumer.assign(List.of(dlq));
        consumer.seekToBeginning(List.of(dlq));
        boolean found = false;
        for (TopicPartition tp : dlq) {
          long end = ends.partitionResult(tp).get().offset();
          while (consumer.position(tp) < end) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
              found |= newer.studyUid.equals(r.key());
            }
          }
        }
        assertFalse(found, "the newer event was dead-lettered");
      }
    }
  }

  private static TopicPartition[] deadLetterPartitions(Admin admin) throws Exception {
    String name = Topics.INDEX_DEAD_LETTER.name();
    return admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().stream()
        .map(p -> new TopicPartition(name, p.partition()))
        .toArray(TopicPartition[]::new);
  }

  private static byte[] bytes(InstanceStored e) {
    return EventCodec.encode(e);
  }
}
