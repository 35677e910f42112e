package org.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.hostile.HostileHttp;
import org.strata.testkit.hostile.HostileReport;
import org.strata.testkit.hostile.HostileRun;
import org.strata.testkit.hostile.Liveness;

/**
 * The hostile-input suite against index's admin APIs (deletes, rebuilds, patient links): every
 * parameter and path segment of its OpenAPI document, the deletes aimed at the tenant of a known
 * study. Every input must be answered within the deadline and never with a 5xx; afterwards index is
 * UP, its heap is bounded and the known study's rows are unchanged once every deletion request the
 * run caused has been applied. {@code make fuzz} runs it longer.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class HostileInputTest extends IndexTestSupport {
  private static final String HOST = "127.0.0.1";
  private static final String TENANT = "hostile-known";

  /**
   * Growth of the heap after GC the run may cause: index keeps rebuild jobs (a few hundred bytes
   * each, a handful started here) and nothing per request; 64 MiB is ~30 KiB per request leaked.
   */
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  @Test
  void everyHostileInputIsAnsweredAndTheKnownStudyStaysIntact() throws Exception {
    int http = RestAssured.port;
    HostileRun run = HostileRun.fromSystemProperties(200);
    HostileReport report = new HostileReport("index", run.seed());

    InstanceStoredMother first = new InstanceStoredMother();
    first.tenant = TENANT;
    InstanceStoredMother second = first.nextInstance();
    publish(first.build());
    publish(second.build());
    awaitInstances(first.studyUid, 2);
    String before = snapshot(first.studyUid);
    long heapBefore = Liveness.heapAfterGc();

    Map<String, String> known =
        Map.of(
            "tenant", TENANT,
            "study", first.studyUid,
            "series", first.seriesUid,
            "instance", first.sopUid,
            "patientId", first.patientId,
            "issuer", first.issuer,
            // Writes aim at the known study's tenant with a reason: only the hostile value can
            // make them touch it.
            "write:tenant", TENANT,
            "write:reason", "hostile-input-test");
    new HostileHttp(HOST, http, HostileHttp.openApi(HOST, http), known, List.of(), "")
        .run(run, report);

    awaitDeletionsApplied();
    Liveness.checkAfterRun(HOST, http, heapBefore, HEAP_GROWTH_BOUND, report);
    String after = snapshot(first.studyUid);
    if (!before.equals(after)) {
      report.violation("the known study changed: " + before + " -> " + after);
    }
    System.out.print(report.table());
    report.assertPassed();
    assertEquals(before, after);
    // The inputs must be hostile, or the run proves nothing (a replay of one input may not be).
    assertTrue(
        !run.only().isEmpty() || report.total(HostileReport.Counts::refused) > 0,
        "nothing was refused");
  }

  /**
   * Waits until index's consumer group has committed every deletion request published so far, so a
   * delete the run caused by mistake has reached the study before it is compared.
   */
  private void awaitDeletionsApplied() throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      String topic = Topics.INSTANCE_DELETED.name();
      Set<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toSet());
      Map<TopicPartition, Long> end =
          admin
              .listOffsets(
                  partitions.stream()
                      .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
              .all()
              .get()
              .entrySet()
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      // A safety net against a consumer that never catches up, not an assertion on time.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets("strata-index").partitionsToOffsetAndMetadata().get();
        boolean caughtUp =
            end.entrySet().stream()
                .allMatch(
                    e ->
                        e.getValue() == 0
                            || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue()));
        if (caughtUp) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("index did not apply the deletion requests: " + committed);
        }
        Thread.sleep(Duration.ofMillis(200));
      }
    }
  }
}
