package org.strata.routing.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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
@Singleton
public class QueueConsumer extends TrackedConsumer {
  private static final Logger LOG = Logger.getLogger(QueueConsumer.class);

  private final Dispatcher dispatcher;
  private final String bootstrap;
  private final RoutingConfig config;

  QueueConsumer(
      Dispatcher dispatcher,
      RoutingConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    super(
        "routing-queue-consumer",
        List.of(Topics.ROUTING_JOBS_STAT.name(), Topics.ROUTING_JOBS_ROUTINE.name()));
    this.dispatcher = dispatcher;
    this.config = config;
    this.bootstrap = bootstrap;
  }

  void start(@Observes StartupEvent event) {
    start(bootstrap, config.queueGroup(), "earliest", 100);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    stop();
  }

  @Override
  protected void beforePoll() {
    var routine =
        consumer.assignment().stream()
            .filter(tp -> tp.topic().equals(Topics.ROUTING_JOBS_ROUTINE.name()))
            .toList();
    if (dispatcher.full()) {
      consumer.pause(routine);
    } else {
      consumer.resume(routine);
    }
  }

  @Override
  protected void revoked(TopicPartition partition) {
    dispatcher.dropPartition(partition);
  }

  @Override
  protected void take(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
    long offset = r.offset();
    RoutingJob job;
    try {
      job = EventCodec.decode(r.value(), RoutingJob.class);
    } catch (EventFormatException | IllegalArgumentException e) {
      // Not a job this version can run: skipped, never retried forever (logged without content).
      LOG.warnf("unreadable routing job record at %s@%d skipped: %s", tp, offset, e.getMessage());
      offsets.finished(tp, offset);
      return;
    }
    dispatcher.accept(job, () -> offsets.finished(tp, offset), tp);
  }
}
