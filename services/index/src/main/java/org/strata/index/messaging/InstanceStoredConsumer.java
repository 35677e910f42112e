package org.strata.index.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.InstanceStored;
import org.strata.index.config.IndexConfig;
import org.strata.index.service.BatchResult;
import org.strata.index.service.InstanceIndexer;
import org.strata.index.service.OnVertx;

/**
 * Consumes {@code strata.instance.stored} in batches (ADR 0006): the events of one poll, at most
 * {@code strata.index.consumer.max-batch}, are applied in one PostgreSQL transaction in partition
 * order, their follow-up events are sent and acknowledged, and only then are the offsets committed
 * (ADR 0004). A crash anywhere before the offset commit replays the batch, which changes nothing.
 *
 * <p>A record that cannot be decoded goes to the dead-letter topic at once. When a batch fails in
 * the database, its events are applied again one per transaction, so that only the event that fails
 * goes to the dead-letter topic; a failure of the infrastructure (connection, timeout) dead-letters
 * nothing: the consumer starts again from the committed offsets after a pause.
 *
 * <p>An event of a schema version newer than this service knows stops its partition (ADR 0007): the
 * events before it are applied, the offset stays on it, the partition is paused and the service
 * reports not ready until a newer version of the service takes over.
 */
@ApplicationScoped
public class InstanceStoredConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceStoredConsumer.class);
  private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

  private final InstanceIndexer indexer;
  private final IndexEventPublisher publisher;
  private final DeadLetterPublisher deadLetters;
  private final StoppedPartitions stopped;
  private final IndexConfig.Consumer config;
  private final String bootstrapServers;
  private final MeterRegistry metrics;
  private final OnVertx onVertx;
  private final AtomicBoolean crashed = new AtomicBoolean();
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> current;
  private Thread thread;

  public InstanceStoredConsumer(
      InstanceIndexer indexer,
      IndexEventPublisher publisher,
      DeadLetterPublisher deadLetters,
      StoppedPartitions stopped,
      IndexConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      MeterRegistry metrics,
      OnVertx onVertx) {
    this.indexer = indexer;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.stopped = stopped;
    this.config = config.consumer();
    this.bootstrapServers = bootstrapServers;
    this.metrics = metrics;
    this.onVertx = onVertx;
  }

  void start(@Observes StartupEvent event) {
    if (!config.enabled()) {
      stopped.consuming(true, "disabled by configuration");
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("index-consumer").start(this::run);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    KafkaConsumer<String, byte[]> c = current;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      thread.join(Duration.ofSeconds(30));
    }
  }

  private void run() {
    long pauseMillis = 500;
    while (running) {
      try (KafkaConsumer<String, byte[]> consumer = newConsumer();
          KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(consumer)) {
        kafkaMetrics.bindTo(metrics);
        current = consumer;
        consumer.subscribe(List.of(config.topic()), new Rebalance());
        stopped.consuming(true, null);
        while (running) {
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            handle(consumer, records);
            pauseMillis = 500;
          }
        }
      } catch (WakeupException e) {
        // stop() while polling
      } catch (SimulatedCrash e) {
        LOG.warn("test hook: consumer killed after the database commit, before the offset commit");
      } catch (RuntimeException e) {
        // Database or Kafka unavailable, or a bug: nothing was committed past what was applied;
        // a fresh consumer starts again from the committed offsets.
        stopped.consuming(false, e.getClass().getSimpleName());
        LOG.warnf("consumer failed (%s); restarting in %d ms", e.getClass().getName(), pauseMillis);
        LOG.debug("consumer failure", e);
        sleep(pauseMillis);
        pauseMillis = Math.min(pauseMillis * 2, 30_000);
      } finally {
        current = null;
      }
    }
    stopped.consuming(false, "stopped");
  }

  private void handle(
      KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    List<ConsumerRecord<String, byte[]>> toApply = new ArrayList<>(records.count());
    List<InstanceStored> events = new ArrayList<>(records.count());
    List<Uni<Void>> sent = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      if (stopped.isStopped(tp.toString())) {
        continue; // fetched before the pause took effect; the offset stays on the stopping event
      }
      for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
        try {
          events.add(EventCodec.decode(r.value(), InstanceStored.class));
          toApply.add(r);
        } catch (EventFormatException e) {
          if (e.reason() == EventFormatException.Reason.FUTURE_SCHEMA_VERSION) {
            stopPartition(consumer, tp, r.offset());
            offsets.put(tp, new OffsetAndMetadata(r.offset()));
            break;
          }
          LOG.warnf(
              "undecodable record at %s offset %d (%s); it goes to the dead-letter topic",
              tp, r.offset(), e.reason());
          sent.add(deadLetters.send(r, "undecodable: " + e.reason()));
        }
        offsets.put(tp, new OffsetAndMetadata(r.offset() + 1));
      }
    }
    if (!events.isEmpty()) {
      applyBatch(toApply, events, sent);
    }
    if (!sent.isEmpty()) {
      onVertx(() -> Uni.join().all(sent).andFailFast().replaceWithVoid());
    }
    if (!events.isEmpty() && config.crashAfterCommitTenant().isPresent()) {
      String tenant = config.crashAfterCommitTenant().get();
      if (events.stream().anyMatch(e -> tenant.equals(e.tenant()))
          && crashed.compareAndSet(false, true)) {
        throw new SimulatedCrash();
      }
    }
    if (!offsets.isEmpty()) {
      // Asynchronous: the next poll need not wait for the broker. Commits complete in order, and a
      // lost one only replays applied events (a no-op); close() completes the pending ones.
      consumer.commitAsync(
          offsets,
          (committed, failure) -> {
            if (failure != null) {
              LOG.warnf("offset commit failed (%s); events may be replayed", failure.getClass());
            }
          });
    }
  }

  /** The batch in one transaction; if the database refuses it, each event in its own. */
  private void applyBatch(
      List<ConsumerRecord<String, byte[]>> records,
      List<InstanceStored> events,
      List<Uni<Void>> sent) {
    try {
      indexAndPublish(events);
      return;
    } catch (RuntimeException e) {
      if (isInfrastructure(e)) {
        throw e;
      }
      if (events.size() == 1) {
        deadLetter(records.get(0), events.get(0), e, sent);
        return;
      }
      LOG.infof(
          "batch of %d events failed (%s); applying them one by one",
          events.size(), rootCause(e).getClass().getName());
    }
    for (int n = 0; n < events.size(); n++) {
      InstanceStored event = events.get(n);
      try {
        indexAndPublish(List.of(event));
      } catch (RuntimeException e) {
        if (isInfrastructure(e)) {
          throw e;
        }
        deadLetter(records.get(n), event, e, sent);
      }
    }
  }

  /**
   * One transaction on Vert.x, then its follow-up events sent from this thread and awaited (the
   * producer may wait for Kafka's metadata, which an event loop must not).
   */
  private void indexAndPublish(List<InstanceStored> events) {
    BatchResult result = onVertx(() -> indexer.index(events));
    publisher.publish(result).await().atMost(BATCH_TIMEOUT);
  }

  private void deadLetter(
      ConsumerRecord<String, byte[]> record,
      InstanceStored event,
      RuntimeException failure,
      List<Uni<Void>> sent) {
    // Error messages of the database can quote values (PHI): only at debug level.
    LOG.warnf(
        "event %s not indexed (%s); it goes to the dead-letter topic",
        event.eventId(), reason(failure));
    LOG.debugf(failure, "event %s not indexed", event.eventId());
    sent.add(deadLetters.send(record, "not applicable: " + reason(failure)));
  }

  private void stopPartition(
      KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long offset) {
    consumer.pause(List.of(tp));
    if (stopped.stop(tp.toString(), offset)) {
      LOG.errorf(
          "%s offset %d holds an InstanceStored of a newer schema version than this service knows:"
              + " partition stopped (not dead-lettered) until a newer index service consumes it",
          tp, offset);
    }
  }

  /**
   * A failure that says nothing about the event: a lost connection, a timeout, a database that
   * cannot serve (SQLSTATE classes 08 connection, 40 rollback, 53 resources, 57 operator, 58
   * system), 42 (a statement the schema refuses: our bug). Anything else (a value the database
   * rejects, an event our code cannot map) is the event's.
   */
  static boolean isInfrastructure(Throwable failure) {
    String state = sqlState(failure);
    if (state != null) {
      // 42: a statement the schema does not accept is our bug, not the event's: dead-lettering
      // would throw away every event.
      return state.startsWith("08")
          || state.startsWith("40")
          || state.startsWith("42")
          || state.startsWith("53")
          || state.startsWith("57")
          || state.startsWith("58");
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof TimeoutException
          || t instanceof io.vertx.core.VertxException
          || t instanceof org.apache.kafka.common.KafkaException
          || t instanceof io.smallrye.mutiny.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The SQLSTATE PostgreSQL answered, however Hibernate Reactive wrapped it; null if none. */
  static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        return pg.getSqlState();
      }
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
      if (t instanceof org.hibernate.JDBCException jdbc && jdbc.getSQLState() != null) {
        return jdbc.getSQLState();
      }
    }
    return null;
  }

  private static String reason(Throwable e) {
    String state = sqlState(e);
    return state != null ? "SQLSTATE " + state : rootCause(e).getClass().getSimpleName();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private <T> T onVertx(Supplier<Uni<T>> work) {
    return onVertx.await(work, BATCH_TIMEOUT);
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-index-" + config.topic());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Partitions given up no longer count as stopped here; whoever gets them stops on their own. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(tp -> stopped.release(tp.toString()));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }

  /** Thrown by the crash test hook. */
  private static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated crash", null, false, false);
    }
  }
}
