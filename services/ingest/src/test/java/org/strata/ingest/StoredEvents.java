package org.strata.ingest;

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
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;

/**
 * Reads {@code strata.instance.stored} from its beginning up to the end offsets it has when called:
 * every event acknowledged before the call (ingest answers only after Kafka's acknowledgement) is
 * seen, so an absent event is absent, without waiting for a timeout.
 */
final class StoredEvents {
  /** An event with the key of its record. */
  record Keyed(String key, InstanceStored event) {}

  private StoredEvents() {}

  static List<Keyed> upToNow(String bootstrap, Predicate<InstanceStored> filter) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<Keyed> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.INSTANCE_STORED.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      // A safety net against a broken broker, not an assertion on time.
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read strata.instance.stored to its end");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          InstanceStored e = EventCodec.decode(r.value(), InstanceStored.class);
          if (filter.test(e)) {
            found.add(new Keyed(r.key(), e));
          }
        }
      }
    }
    return found;
  }
}
