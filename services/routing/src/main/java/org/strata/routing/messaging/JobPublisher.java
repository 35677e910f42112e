package org.strata.routing.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
import org.strata.events.RoutingJob;
import org.strata.events.Topics;

/**
 * Puts jobs on routing's queues: STAT and ROUTINE topics by priority, the dead-letter topic when
 * given up. Every publish waits for Kafka's acknowledgement (acks=all, idempotent): a job is only
 * taken off a queue (its offset committed) once its successor record is durable.
 */
@ApplicationScoped
public class JobPublisher {
  private final KafkaProducer<String, byte[]> producer;

  JobPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  void close(@Observes ShutdownEvent event) {
    producer.close();
  }

  /** Queues {@code job} on its priority's topic. */
  public void enqueue(RoutingJob job) throws PublishException {
    send(
        job.priority() == RoutingJob.Priority.STAT
            ? Topics.ROUTING_JOBS_STAT.name()
            : Topics.ROUTING_JOBS_ROUTINE.name(),
        job);
  }

  /** Puts {@code job} on the dead-letter topic. */
  public void deadLetter(RoutingJob job) throws PublishException {
    send(Topics.ROUTING_DEAD_LETTER.name(), job);
  }

  private void send(String topic, RoutingJob job) throws PublishException {
    try {
      producer
          .send(new ProducerRecord<>(topic, job.key(), EventCodec.encode(job)))
          .get(40, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublishException(e.getClass().getSimpleName(), e);
    }
  }

  /** Kafka did not acknowledge: nothing may be acknowledged upstream. */
  public static final class PublishException extends Exception {
    public PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
