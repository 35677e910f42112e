package org.strata.index.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One plain Kafka producer (acks=all, idempotent) for the index's follow-up events, InstanceIndexed
 * and StudyUpdated (ADR 0076). Through SmallRye's emitters every record was a message with
 * metadata, ack and nack callbacks and context propagation, about a fifth of the index's CPU
 * samples under {@code make bench ingest}, and each topic had a producer of its own; here a batch's
 * records are handed over together and travel in the same produce requests.
 */
@ApplicationScoped
public class FollowUpProducer {
  /** The producer's {@code client.id}: the {@code client_id} label of its metrics. */
  public static final String CLIENT_ID = "strata-index-follow-ups";

  private final KafkaProducer<String, byte[]> producer;
  private final KafkaClientMetrics producerMetrics;

  public FollowUpProducer(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, MeterRegistry metrics) {
    Properties p = new Properties();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A batch's records are sent together anyway; no wait for more.
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // Bounded: a send waits for metadata at most this long when Kafka is unreachable.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    this.producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(metrics);
  }

  /**
   * Hands every record to the producer; completes when Kafka acknowledged them all, fails with the
   * first failure.
   */
  public Uni<Void> send(List<ProducerRecord<String, byte[]>> records) {
    if (records.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .emitter(
            e -> {
              AtomicInteger left = new AtomicInteger(records.size());
              AtomicBoolean failed = new AtomicBoolean();
              for (ProducerRecord<String, byte[]> r : records) {
                try {
                  producer.send(
                      r,
                      (metadata, failure) -> {
                        if (failure != null) {
                          if (failed.compareAndSet(false, true)) {
                            e.fail(failure);
                          }
                        } else if (left.decrementAndGet() == 0 && !failed.get()) {
                          e.complete(null);
                        }
                      });
                } catch (KafkaException failure) {
                  if (failed.compareAndSet(false, true)) {
                    e.fail(failure);
                  }
                  return;
                }
              }
            });
  }

  @PreDestroy
  void close() {
    producerMetrics.close();
    producer.close(Duration.ofSeconds(5));
  }
}
