package org.strata.testkit;

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
import org.strata.events.StrataEvent;
import org.strata.events.Topic;

/**
 * Reads one of Strata's topics in tests: every event of a type from the beginning up to the topic's
 * end at the moment of the call, in a consumer of its own (no group, no offsets committed).
 */
public final class EventTopic<T extends StrataEvent> {
  private final String bootstrap;
  private final Topic topic;
  private final Class<T> type;

  public EventTopic(String bootstrap, Topic topic, Class<T> type) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.type = type;
  }

  /** Every matching event of the type on the topic now. */
  public List<T> readAll(Predicate<T> match) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
              && type.isInstance(EventCodec.decode(r.value()))) {
            T event = type.cast(EventCodec.decode(r.value()));
            if (match.test(event)) {
              out.add(event);
            }
          }
        }
      }
    }
    return out;
  }
}
