package org.strata.testkit.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.Topics;

/**
 * Reads {@code strata.audit.record} in tests: every record of the topic from the beginning, in a
 * consumer of its own (no group), so tests see what the audit service would.
 */
public final class AuditTopic {
  private final String bootstrap;

  public AuditTopic(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /**
   * The matching records once at least {@code expected} of them are on the topic, read up to the
   * topic's end at that moment (so a repeat sent before then is seen too); fails after {@code
   * ceiling} with what it found.
   */
  public List<AuditRecord> await(Predicate<AuditRecord> match, int expected, Duration ceiling) {
    long deadline = System.nanoTime() + ceiling.toNanos();
    List<AuditRecord> found = List.of();
    while (System.nanoTime() < deadline) {
      found = readAll(match);
      if (found.size() >= expected) {
        return found;
      }
      try {
        Thread.sleep(200); // polling a topic: the condition is re-checked, not a timed assertion
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError(
        "expected " + expected + " audit records within " + ceiling + ", found " + found);
  }

  /** Every matching record on the topic now. */
  public List<AuditRecord> readAll(Predicate<AuditRecord> match) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<AuditRecord> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.AUDIT_RECORD.name(), Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
              && EventCodec.decode(r.value()) instanceof AuditRecord a
              && match.test(a)) {
            out.add(a);
          }
        }
      }
    }
    return out;
  }
}
