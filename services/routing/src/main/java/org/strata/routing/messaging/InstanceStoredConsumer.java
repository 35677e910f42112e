package org.strata.routing.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.messaging.JobPublisher.PublishException;
import org.strata.routing.service.RuleEvaluator;

/**
 * Reads {@code strata.instance.stored} (group {@code strata-routing}) into the rules. A record's
 * offset is committed only once every job it caused is on a queue topic: at once for INSTANCE
 * rules, when its study was queued for STUDY rules (the record is held meanwhile).
 */
@ApplicationScoped
public class InstanceStoredConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceStoredConsumer.class);

  private final RuleEvaluator evaluator;
  private final RoutingConfig config;
  private final String bootstrap;
  private final PartitionOffsets offsets = new PartitionOffsets();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private Thread thread;

  InstanceStoredConsumer(
      RuleEvaluator evaluator,
      RoutingConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.evaluator = evaluator;
    this.config = config;
    this.bootstrap = bootstrap;
  }

  void start(@Observes StartupEvent event) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.rulesGroup());
    // A new routing starts with what is stored from now on, not with the topic's history.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
    thread = Thread.ofPlatform().name("routing-rules-consumer").daemon().start(this::loop);
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

  /** Partitions were assigned at least once (readiness; a test publishes only after it). */
  public boolean assigned() {
    return assigned;
  }

  private void loop() {
    try {
      consumer.subscribe(
          List.of(Topics.INSTANCE_STORED.name()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              commit();
              partitions.forEach(offsets::revoked);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              if (!partitions.isEmpty()) {
                // "latest" resolves lazily: fix the positions now, so nothing stored after the
                // assignment is skipped
                partitions.forEach(consumer::position);
              }
              assigned = true;
            }
          });
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          take(r);
        }
        commit();
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.errorf(e, "routing rules consumer stopped");
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
    long offset = r.offset();
    offsets.taken(tp, offset);
    InstanceStored event;
    try {
      event = EventCodec.decode(r.value(), InstanceStored.class);
    } catch (EventFormatException | IllegalArgumentException e) {
      LOG.warnf("unreadable InstanceStored at %s@%d skipped: %s", tp, offset, e.getMessage());
      offsets.finished(tp, offset);
      return;
    }
    // One hold for this method, one per study gathering; the offset finishes with the last.
    AtomicInteger holds = new AtomicInteger(1);
    Runnable release =
        () -> {
          if (holds.decrementAndGet() == 0) {
            offsets.finished(tp, offset);
          }
        };
    while (running) {
      try {
        evaluator.evaluate(
            event,
            () -> {
              holds.incrementAndGet();
              return release;
            });
        break;
      } catch (PublishException e) {
        LOG.warnf("jobs not queued, trying again: %s", e.getMessage());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    release.run();
  }

  private void commit() {
    offsets.commit(consumer);
  }
}
