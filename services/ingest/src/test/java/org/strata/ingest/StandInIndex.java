package org.strata.ingest;

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
import org.strata.events.EventCodec;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;

/**
 * The index service played by a test (the index is not part of ingest's tests): it reads {@code
 * strata.instance.stored} from the moment it starts and publishes {@code InstanceIndexed} on the
 * real topic only when the test tells it to, so the test controls when instances become "indexed".
 */
final class StandInIndex implements AutoCloseable {
  private final String bootstrap;
  private final Map<String, InstanceStored> seen = new ConcurrentHashMap<>();
  private final BlockingQueue<InstanceStored> arrivals = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final KafkaProducer<String, byte[]> producer;
  private volatile boolean running = true;

  private StandInIndex(String bootstrap) throws InterruptedException {
    this.bootstrap = bootstrap;
    this.producer = new KafkaProducer<>(producerProps());
    CompletableFuture<Void> ready = new CompletableFuture<>();
    reader = Thread.ofPlatform().start(() -> read(ready));
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stand-in index did not get its partitions", e);
    }
  }

  /** Starts reading InstanceStored events published from now on. */
  static StandInIndex start(String bootstrap) throws InterruptedException {
    return new StandInIndex(bootstrap);
  }

  private void read(CompletableFuture<Void> ready) {
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
  }

  /** The InstanceStored event of this SOP instance, if one was published since the start. */
  InstanceStored seen(String sop) {
    return seen.get(sop);
  }

  /** Waits (up to 60 s, a hang guard) for the InstanceStored event of this SOP instance. */
  InstanceStored awaitArrival(String sop) throws InterruptedException {
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

  /** Publishes the InstanceIndexed event the index would publish for this stored event. */
  void acknowledge(InstanceStored stored) throws Exception {
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

  void acknowledge(InstanceIndexed indexed) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.INSTANCE_INDEXED.name(), indexed.key(), EventCodec.encode(indexed)))
        .get(30, TimeUnit.SECONDS);
  }

  private Properties producerProps() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private Properties consumerProps() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    reader.join(10_000);
    producer.close();
  }
}
