package org.strata.routing.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A Kafka consumer on its own thread whose records finish out of order: each record is {@link
 * PartitionOffsets#taken taken} when read and finished by whoever completes its work; after every
 * poll each partition is committed up to its lowest unfinished record (ADR 0029). Subclasses say
 * what to do with a record and may act before each poll and on a revoked partition. Subclasses are
 * {@code @Singleton} beans (no client proxy, so no no-argument constructor here).
 */
abstract class TrackedConsumer {
  private static final Logger LOG = Logger.getLogger(TrackedConsumer.class);

  protected final PartitionOffsets offsets = new PartitionOffsets();
  protected volatile KafkaConsumer<String, byte[]> consumer;
  private final String name;
  private final List<String> topics;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private Thread thread;

  TrackedConsumer(String name, List<String> topics) {
    this.name = name;
    this.topics = topics;
  }

  /** Creates the consumer (manual commits) and starts its thread. */
  protected void start(String bootstrap, String group, String offsetReset, int maxPollRecords) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
    thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  protected void stop() throws InterruptedException {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
  }

  protected boolean running() {
    return running;
  }

  /** Partitions were assigned at least once (readiness). */
  public boolean assigned() {
    return assigned;
  }

  /** One record read; its offset was taken and must be finished once its work is done. */
  protected abstract void take(ConsumerRecord<String, byte[]> record, TopicPartition partition);

  /** On the consumer's thread before each poll (pause or resume partitions). */
  protected void beforePoll() {}

  /** A partition went to another consumer: forget the work held for it. */
  protected void revoked(TopicPartition partition) {}

  /** New partitions: on the consumer's thread, before their first poll. */
  protected void assignedPartitions(Collection<TopicPartition> partitions) {}

  private void loop() {
    try {
      consumer.subscribe(
          topics,
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              offsets.commit(consumer);
              for (TopicPartition tp : partitions) {
                revoked(tp);
                offsets.revoked(tp);
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              assignedPartitions(partitions);
              assigned = true;
            }
          });
      while (running) {
        beforePoll();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          offsets.taken(tp, r.offset());
          take(r, tp);
        }
        offsets.commit(consumer);
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s stopped", name);
    } finally {
      try {
        offsets.commit(consumer);
      } catch (RuntimeException e) {
        LOG.debugf("last commit failed: %s", e.getMessage());
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }
}
