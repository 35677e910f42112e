package org.strata.ingest.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.ingest.config.IngestConfig;

/**
 * Publishes InstanceStored and tells when Kafka acknowledged it with acks=all: the moment after
 * which ingest may answer success. One idempotent producer is shared by all requests. The events of
 * one STOW-RS request are sent together and then awaited (ADR 0066), so they travel in one produce
 * request; {@code linger.ms} lets concurrent requests and C-STORE associations share one too.
 */
@ApplicationScoped
public class InstanceStoredPublisher {
  /** The producer's {@code client.id}: the {@code client_id} label of its metrics. */
  public static final String CLIENT_ID = "strata-ingest-instance-stored";

  private static final int BATCH_BYTES = 1024 * 1024;

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
    // The events of a request share a partition (keyed by study): a batch as large as a produce
    // request keeps them in one round trip (the 16 KiB default split ten CT events into several).
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
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
    await(send(encode(event)), deadlineFromNow());
  }

  /** The record of {@code event}: encoded before sending, so a batch's sends follow closely. */
  public ProducerRecord<String, byte[]> encode(InstanceStored event) {
    return new ProducerRecord<>(
        Topics.INSTANCE_STORED.name(), event.key(), EventCodec.encode(event));
  }

  /** Hands the record to the producer without waiting; {@link #await} tells its outcome. */
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    try {
      return producer.send(record);
    } catch (RuntimeException e) {
      // E.g. no metadata within max.block.ms: this record's failure, reported by await.
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The deadline of events sent now: {@code strata.ingest.publish-timeout} from now. */
  public long deadlineFromNow() {
    return System.nanoTime() + config.publishTimeout().toNanos();
  }

  /** Blocks until the sent record is durable in Kafka, at most until {@code deadlineNanos}. */
  public void await(Future<RecordMetadata> sent, long deadlineNanos) throws PublishException {
    try {
      sent.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
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

    public PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
