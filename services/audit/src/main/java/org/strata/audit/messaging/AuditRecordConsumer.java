package org.strata.audit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.strata.audit.config.AuditConfig;
import org.strata.audit.repository.AuditTrailRepository;
import org.strata.audit.service.CheckpointSigner;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.Topics;

/**
 * Consumes {@code strata.audit.record} into the chain: each poll is one transaction of appends
 * ({@link AuditTrailRepository#append}), and its offsets are committed only after that transaction.
 * A crash between the two re-delivers records the chain already holds; their ids make them
 * duplicates, dropped (exactly-once effect). On a PostgreSQL or Kafka failure the consumer is
 * re-created after {@code retry-after} and starts again from the committed offsets.
 *
 * <p>Its own thread and Kafka client rather than reactive messaging: the transaction, the commit
 * and the checkpoints between polls are one loop that reads top to bottom.
 */
@ApplicationScoped
public class AuditRecordConsumer {
  private static final Logger LOG = Logger.getLogger(AuditRecordConsumer.class);
  private static final Duration POLL = Duration.ofSeconds(1);

  /** How often the loop asks whether a time-based checkpoint is due. */
  private static final Duration CHECKPOINT_PROBE = Duration.ofSeconds(1);

  private final AuditConfig config;
  private final String bootstrapServers;
  private final AuditTrailRepository repository;
  private final CheckpointSigner signer;
  private final Counter appended;
  private final Counter duplicates;
  private final Counter rejected;
  private final Timer appendTime;
  private final AtomicLong head = new AtomicLong();
  private volatile boolean running;
  private volatile boolean assigned;
  private volatile String problem = "not started";
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  AuditRecordConsumer(
      AuditConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      AuditTrailRepository repository,
      CheckpointSigner signer,
      MeterRegistry meters) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.repository = repository;
    this.signer = signer;
    this.appended = outcome(meters, "appended");
    this.duplicates = outcome(meters, "duplicate");
    this.rejected = outcome(meters, "rejected");
    this.appendTime =
        Timer.builder("strata_audit_append_seconds")
            .description("one transaction of appends to the chain")
            .register(meters);
    meters.gauge("strata_audit_chain_head", head);
  }

  private static Counter outcome(MeterRegistry meters, String outcome) {
    return Counter.builder("strata_audit_records")
        .description("audit records consumed, by what became of them")
        .tag("outcome", outcome)
        .register(meters);
  }

  void start(@Observes StartupEvent event) throws SQLException {
    head.set(repository.head().seq());
    running = true;
    thread = Thread.ofPlatform().name("audit-record-consumer").start(this::run);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      thread.join(Duration.ofSeconds(10));
    }
  }

  /** Null while consuming with partitions assigned; else why not (for readiness). */
  public String problem() {
    return problem != null ? problem : assigned ? null : "no partition assigned yet";
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties())) {
        consumer = c;
        c.subscribe(List.of(Topics.AUDIT_RECORD.name()), new Assignment());
        consume(c);
      } catch (WakeupException e) {
        // stop() woke the poll
      } catch (SQLException | RuntimeException e) {
        // Whatever failed (PostgreSQL, Kafka, a bug on one record), the thread must not end: the
        // consumer is made again and resumes from the committed offsets.
        // PostgreSQL's messages can quote values; its SQL state says enough.
        problem =
            e instanceof SQLException sql
                ? "PostgreSQL failed (SQL state " + sql.getSQLState() + ")"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.warnf(
            "audit consumer stopped (%s); retrying in %s", problem, config.consumer().retryAfter());
        pause(config.consumer().retryAfter());
      } finally {
        assigned = false;
        consumer = null;
      }
    }
  }

  private void consume(KafkaConsumer<String, byte[]> c) throws SQLException {
    long lastProbe = System.nanoTime();
    while (running) {
      ConsumerRecords<String, byte[]> polled = c.poll(POLL);
      problem = null;
      if (!polled.isEmpty()) {
        List<AuditRecord> batch = decode(polled);
        Timer.Sample sample = Timer.start();
        AuditTrailRepository.Appended done =
            repository.append(batch, config.checkpoint().everyRecords(), signer);
        sample.stop(appendTime);
        c.commitSync();
        appended.increment(done.appended());
        duplicates.increment(done.duplicates());
        head.set(done.headSeq());
      }
      if (System.nanoTime() - lastProbe >= CHECKPOINT_PROBE.toNanos()) {
        lastProbe = System.nanoTime();
        repository.checkpointIfStale(Instant.now().minus(config.checkpoint().every()), signer);
      }
    }
  }

  private List<AuditRecord> decode(ConsumerRecords<String, byte[]> polled) {
    List<AuditRecord> batch = new ArrayList<>(polled.count());
    for (ConsumerRecord<String, byte[]> r : polled) {
      try {
        batch.add(EventCodec.decode(r.value(), AuditRecord.class));
      } catch (EventFormatException e) {
        if (e.reason() == EventFormatException.Reason.FUTURE_SCHEMA_VERSION) {
          // A newer producer: this consumer must be upgraded, not skip the record.
          throw new IllegalStateException(e.getMessage(), e);
        }
        // Not an audit record at all: nothing to chain. Counted and logged without its payload.
        rejected.increment();
        LOG.warnf(
            "dropped an unreadable audit record at %s-%d@%d: %s",
            r.topic(), r.partition(), r.offset(), e.reason());
      }
    }
    return batch;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumer().groupId());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxBatch());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private final class Assignment implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = true;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
  }
}
