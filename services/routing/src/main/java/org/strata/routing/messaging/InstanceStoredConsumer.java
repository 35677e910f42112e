package org.strata.routing.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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
@Singleton
public class InstanceStoredConsumer extends TrackedConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceStoredConsumer.class);

  private final RuleEvaluator evaluator;
  private final RoutingConfig config;
  private final String bootstrap;

  InstanceStoredConsumer(
      RuleEvaluator evaluator,
      RoutingConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    super("routing-rules-consumer", List.of(Topics.INSTANCE_STORED.name()));
    this.evaluator = evaluator;
    this.config = config;
    this.bootstrap = bootstrap;
  }

  void start(@Observes StartupEvent event) {
    // A new routing starts with what is stored from now on, not with the topic's history.
    start(bootstrap, config.rulesGroup(), "latest", 200);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    stop();
  }

  @Override
  protected void assignedPartitions(Collection<TopicPartition> partitions) {
    // "latest" resolves lazily: fix the positions now, so nothing stored after the assignment
    // is skipped (a test publishes once routing is ready)
    partitions.forEach(consumer::position);
  }

  @Override
  protected void take(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
    long offset = r.offset();
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
    boolean evaluated = false;
    while (!evaluated && running()) {
      try {
        evaluator.evaluate(
            event,
            () -> {
              holds.incrementAndGet();
              return release;
            });
        evaluated = true;
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
    if (evaluated) {
      release.run(); // else stopping: the record stays unfinished and is read again
    }
  }
}
