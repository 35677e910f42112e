package org.strata.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;

/**
 * The consumer dies after a batch's database commit and before its offset commit (the test hook of
 * {@code strata.index.consumer.crash-after-commit-tenant}); a fresh consumer replays the batch from
 * the committed offsets. The index holds each instance once with right aggregates, and the repeated
 * InstanceIndexed events carry the same ids as the first ones (ADR 0004).
 */
@QuarkusTest
@TestProfile(CrashBetweenCommitsTest.Profile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class CrashBetweenCommitsTest extends IndexTestSupport {
  static final String TOPIC = "strata.instance.stored.crash-test";

  public static final class Profile extends OwnTopicProfile {
    @Override
    String topic() {
      return TOPIC;
    }

    @Override
    Map<String, String> extraConfig() {
      return Map.of("strata.index.consumer.crash-after-commit-tenant", "crash-test");
    }
  }

  @Test
  void aCrashBetweenTheDatabaseCommitAndTheOffsetCommitLeavesNoDuplicate() throws Exception {
    InstanceStoredMother ct = new InstanceStoredMother();
    ct.tenant = "crash-test";
    InstanceStoredMother mr = ct.nextSeries("MR", InstanceStoredMother.MR);
    List<InstanceStored> events = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      events.add(ct.build());
      events.add(mr.build());
      ct = ct.nextInstance();
      mr = mr.nextInstance();
    }
    for (InstanceStored e : events) {
      producer.send(new ProducerRecord<>(TOPIC, e.key(), EventCodec.encode(e)));
    }
    producer.flush();
    String study = events.get(0).studyInstanceUid();

    // Every instance announced, and at least one announced twice: the replay after the crash.
    Map<String, Set<String>> idsBySop = new HashMap<>();
    int[] announcements = {0};
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(Topics.INSTANCE_INDEXED.name()));
      await()
          .atMost(WAIT.multipliedBy(2))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                  if (!study.equals(r.key())) {
                    continue;
                  }
                  InstanceIndexed e = EventCodec.decode(r.value(), InstanceIndexed.class);
                  idsBySop
                      .computeIfAbsent(e.sopInstanceUid(), k -> new HashSet<>())
                      .add(e.eventId());
                  announcements[0]++;
                }
                return idsBySop.size() == 20 && announcements[0] > 20;
              });
    }
    // A repeat carries the id of the first announcement: consumers drop it by event id.
    idsBySop.forEach((sop, ids) -> assertEquals(1, ids.size(), "ids of " + sop));
    awaitInstances(study, 20);

    assertEquals("2|20|20|2|20", snapshot(study));
    assertEquals(
        "10,10",
        query(
            "select string_agg(s.number_of_instances::text, ',' order by series_number) from series"
                + " s join study st on st.pk = s.study_pk where st.study_uid = '"
                + study
                + "'"));
    assertEquals(
        "CT,MR",
        query(
            "select array_to_string(modalities_in_study, ',') from study where study_uid = '"
                + study
                + "'"));
    assertEquals(
        "1",
        query(
            "select count(*) from patient where patient_id = '" + events.get(0).patientId() + "'"));
    assertTrue(announcements[0] > 20);
  }
}
