package org.strata.ingest.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.ingest.config.IngestConfig;

/**
 * Publishes InstanceStored and returns only when Kafka acknowledged it with acks=all: the moment
 * after which ingest may answer success. One idempotent producer is shared by all requests, so
 * concurrent stores are batched into the same produce requests ({@code linger.ms} small, chosen in
 * the benchmark), one round trip each.
 */
@ApplicationScoped
public class InstanceStoredPublisher {
  /** The producer's {@code client.id}: the {@code client_id} label of its metrics. */
  public static final String CLIENT_ID = "strata-ingest-instance-stored";

  private final KafkaProducer<String, byte[]> producer;
  private final IngestConfig config;
  private final KafkaClientMetrics producerMetrics;

  public InstanceStoredPublisher(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "strata.ingest.kafka.linger-ms", defaultValue = "1") int lingerMs,
      IngestConfig config,
      MeterRegistry metrics) {
    Properties p = new Properties();
    // Named, so the benchmark finds this producer's request count (Kafka round trips per instance,
    // targets.md) among the client metrics on /q/metrics.
    p.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.publishTimeout().toMillis());
    // Kafka requires delivery timeout >= linger + request timeout.
    p.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(15000, config.publishTimeout().toMillis() / 2));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    this.config = config;
    this.producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(metrics);
  }

  /** Blocks until the event is durable in Kafka; throws if it is not. */
  public void publish(InstanceStored event) throws PublishException {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.INSTANCE_STORED.name(), event.key(), EventCodec.encode(event)))
          .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new PublishException(
          cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
  }

  @PreDestroy
  void close() {
    producerMetrics.close();
    producer.close(java.time.Duration.ofSeconds(10));
  }

  /** Kafka did not acknowledge the event. */
  public static final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
