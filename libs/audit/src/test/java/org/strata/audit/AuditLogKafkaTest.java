package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.CallerIdentity;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.UsesPlatform;
import org.strata.testkit.audit.AuditTopic;

/** The audit log against the real Kafka: records arrive once, also across a Kafka outage. */
@UsesPlatform(Component.KAFKA)
class AuditLogKafkaTest {
  private static final Duration CEILING = Duration.ofMinutes(3);
  private static final CallerIdentity READER =
      new CallerIdentity("reader", Set.of("strata-reader"), Set.of("t1"), "10.0.0.5", null);

  @TempDir Path dir;

  @Test
  void aRecordReachesTheTopicWithWhoWhatAndOutcome(Platform platform) {
    String service = "strata-test-" + UUID.randomUUID();
    try (AuditLog log = AuditLog.open(settings(platform, service))) {
      log.record(
          AuditEntry.store(READER, Channels.STOW_RS)
              .patient("P1", "ISSUER")
              .study("1.2.3", "ACC1")
              .instances("1.2.3", "1.2.840.10008.5.1.4.1.1.2", 2)
              .instances("1.2.3", "1.2.840.10008.5.1.4.1.1.2", 1));
      List<AuditRecord> got =
          new AuditTopic(platform.kafkaBootstrapServers())
              .await(r -> service.equals(r.service()), 1, CEILING);
      assertEquals(1, got.size());
      AuditRecord r = got.get(0);
      assertEquals(AuditEventTypes.INSTANCES_TRANSFERRED, r.eventType());
      assertEquals(AuditRecord.Action.C, r.action());
      assertEquals(AuditRecord.Outcome.SUCCESS, r.outcome());
      assertEquals("t1", r.tenant());
      assertEquals("reader", r.actor());
      assertEquals(List.of("strata-reader"), r.requester().roles());
      assertEquals("10.0.0.5", r.requester().address());
      assertEquals(List.of(new AuditRecord.PatientRef("P1", "ISSUER")), r.patients());
      assertEquals("ACC1", r.studies().get(0).accessionNumber());
      assertEquals(3, r.studies().get(0).instanceCount());
      assertEquals(Channels.STOW_RS, r.channel());
    }
  }

  @Test
  void recordsMadeWhileKafkaIsDownArriveOnceWhenItReturns(Platform platform) throws IOException {
    String service = "strata-test-" + UUID.randomUUID();
    AuditTopic topic = new AuditTopic(platform.kafkaBootstrapServers());
    Set<String> ids = new HashSet<>();
    try (AuditLog log = AuditLog.open(settings(platform, service))) {
      log.record(qido());
      topic.await(r -> service.equals(r.service()), 1, CEILING);
      platform.stop(Component.KAFKA);
      try {
        for (int i = 0; i < 40; i++) {
          log.record(qido()); // returns without Kafka: the record waits in the spool
        }
        assertTrue(log.pendingRecords() > 0, "records wait while Kafka is down");
      } finally {
        platform.ensureStarted(EnumSet.of(Component.KAFKA));
      }
      List<AuditRecord> got = topic.await(r -> service.equals(r.service()), 41, CEILING);
      got.forEach(r -> ids.add(r.eventId()));
      assertEquals(41, got.size(), "every record once: " + duplicates(got));
      assertEquals(41, ids.size());
    }
  }

  private static String duplicates(List<AuditRecord> records) {
    return records.stream()
        .collect(Collectors.groupingBy(AuditRecord::eventId, Collectors.counting()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() > 1)
        .map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static AuditEntry qido() {
    return AuditEntry.query(READER, Channels.QIDO_RS).query("PatientID=P1");
  }

  private AuditSettings settings(Platform platform, String service) {
    return new AuditSettings(
        service,
        "local",
        platform.kafkaBootstrapServers(),
        dir,
        1 << 20,
        64 * 1024,
        WhenSpoolFull.REFUSE,
        true);
  }
}
