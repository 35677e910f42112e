package org.strata.routing.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.RoutingJob;
import org.strata.events.Topics;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.service.Dispatcher;

/**
 * Reads routing's queue topics (STAT and ROUTINE) into the {@link Dispatcher}, and commits each
 * partition up to its lowest unfinished job (ADR 0029). While any destination holds its maximum of
 * jobs, the ROUTINE partitions are paused; STAT is always read, so a STAT job reaches its
 * destination's queue (and overtakes the routine ones there) however long the routine backlog.
 */
@ApplicationScoped
public class QueueConsumer {
  private static final Logger LOG = Logger.getLogger(QueueConsumer.class);

  private final Dispatcher dispatcher;
  private final String bootstrap;
  private final RoutingConfig config;
  private final PartitionOffsets offsets = new PartitionOffsets();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private Thread thread;

  QueueConsumer(
      Dispatcher dispatcher,
      RoutingConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.dispatcher = dispatcher;
    this.config = config;
    this.bootstrap = bootstrap;
  }

  void start(@Observes StartupEvent event) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.queueGroup());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
    thread = Thread.ofPlatform().name("routing-queue-consumer").daemon().start(this::loop);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
  }

  /** Partitions were assigned at least once (readiness). */
  public boolean assigned() {
    return assigned;
  }

  private void loop() {
    List<String> topics =
        List.of(Topics.ROUTING_JOBS_STAT.name(), Topics.ROUTING_JOBS_ROUTINE.name());
    try {
      consumer.subscribe(
          topics,
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              commit();
              for (TopicPartition tp : partitions) {
                dispatcher.dropPartition(tp);
                offsets.revoked(tp);
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              assigned = true;
            }
          });
      while (running) {
        boolean full = dispatcher.full();
        var routine =
            consumer.assignment().stream()
                .filter(tp -> tp.topic().equals(Topics.ROUTING_JOBS_ROUTINE.name()))
                .toList();
        if (full) {
          consumer.pause(routine);
        } else {
          consumer.resume(routine);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          take(r);
        }
        commit();
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.errorf(e, "routing queue consumer stopped");
    } finally {
      try {
        commit();
      } catch (RuntimeException e) {
        LOG.debugf("last commit failed: %s", e.getMessage());
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void take(ConsumerRecord<String, byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    RoutingJob job;
    try {
      job = EventCodec.decode(r.value(), RoutingJob.class);
    } catch (EventFormatException | IllegalArgumentException e) {
      // Not a job this version can run: skipped, never retried forever (logged without content).
      LOG.warnf(
          "unreadable routing job record at %s@%d skipped: %s", tp, r.offset(), e.getMessage());
      return;
    }
    offsets.taken(tp, r.offset());
    long offset = r.offset();
    dispatcher.accept(job, () -> offsets.finished(tp, offset), tp);
  }

  private void commit() {
    offsets.commit(consumer);
  }
}
