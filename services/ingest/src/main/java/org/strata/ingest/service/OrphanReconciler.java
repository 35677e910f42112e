package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.messaging.InstanceStoredPublisher.PublishException;
import org.strata.storage.ObjectStore;
import org.strata.storage.ObjectStore.ListedObject;
import org.strata.storage.StorageException;

/**
 * Finds objects that reached the bucket without their InstanceStored event — the ingest process
 * died, or lost Kafka and then S3, between the PUT and the acknowledgement — and publishes the
 * event they should have had (ADR 0011). Such an object was never acknowledged, but it is complete
 * and valid (a PUT is atomic), so announcing it is safe and loses nothing; a sender that retries
 * meanwhile gets "duplicate, same content". Also removes the {@code .incoming-} leftovers of a
 * duplicate comparison that was interrupted.
 *
 * <p>A run lists the bucket, keeps the instance objects modified within {@code [now - window, now -
 * grace]}, and compares them with the object keys announced on {@code strata.instance.stored} since
 * the window's start (kept as 64-bit hashes: 8 bytes per event). Republishing is idempotent (same
 * event id; the index and the derivatives writer ignore replays), so replicas running it at the
 * same time do no harm.
 */
@ApplicationScoped
public class OrphanReconciler {
  private static final Logger LOG = Logger.getLogger(OrphanReconciler.class);
  private static final String INCOMING = ".incoming-";

  /** The outcome of one run. */
  public record Report(
      Instant from,
      Instant to,
      long listed,
      long examined,
      long announced,
      long republished,
      long foreign,
      long leftoversRemoved,
      long failed) {

    /** The run's counts for its audit record (no PHI). */
    public String auditDetail() {
      return "orphan reconcile: "
          + examined
          + " examined, "
          + (announced + republished)
          + " events published, "
          + leftoversRemoved
          + " leftovers removed, "
          + failed
          + " failed";
    }
  }

  /** A run was asked for while one is going (one at a time per replica). */
  public static final class AlreadyRunning extends IllegalStateException {
    AlreadyRunning() {
      super("a reconciler run is already in progress");
    }
  }

  private final ObjectStore store;
  private final EventRepublisher republisher;
  private final IngestConfig config;
  private final String bootstrap;
  private final MeterRegistry metrics;
  private final AuditLog audit;
  private final ReentrantLock running = new ReentrantLock();
  private ScheduledExecutorService scheduler;

  public OrphanReconciler(
      ObjectStore store,
      EventRepublisher republisher,
      IngestConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      MeterRegistry metrics,
      AuditLog audit) {
    this.audit = audit;
    this.store = store;
    this.republisher = republisher;
    this.config = config;
    this.bootstrap = bootstrap;
    this.metrics = metrics;
  }

  void schedule(@Observes StartupEvent ignored) {
    if (!config.reconciler().enabled()) {
      return;
    }
    long every = config.reconciler().interval().toMillis();
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("orphan-reconciler").unstarted(r));
    scheduler.scheduleWithFixedDelay(this::runScheduled, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  /**
   * What the schedule runs (public for tests): one run, recorded as the service's own action as
   * {@code POST /admin/reconcile} records the caller's. A run skipped because another is going
   * touched nothing and leaves no record.
   */
  public void runScheduled() {
    AuditEntry entry = AuditEntry.reconcile(audit.serviceIdentity(), Channels.SERVICE);
    try {
      Report r = reconcile(config.reconciler().grace(), config.reconciler().window());
      entry.detail(r.auditDetail());
      if (r.republished() + r.leftoversRemoved() + r.failed() > 0) {
        LOG.infof(
            "reconciler: %d republished, %d leftovers removed, %d failed",
            r.republished(), r.leftoversRemoved(), r.failed());
      }
    } catch (RuntimeException e) {
      if (e instanceof AlreadyRunning) {
        return; // another run is going: it is recorded itself
      }
      LOG.warnf("reconciler run failed: %s", e.getMessage());
      entry.outcome(Outcome.SERIOUS_FAILURE, "reconciler failed: " + e.getClass().getSimpleName());
    }
    try {
      audit.record(entry);
    } catch (AuditUnavailableException e) {
      // Background work refuses no one: the run is done, its record could not be kept.
      LOG.warnf("reconciler run not recorded: %s", e.getMessage());
    }
  }

  /**
   * One run; at most one at a time per replica.
   *
   * @throws AlreadyRunning when a run is already going
   * @throws IllegalStateException when the bucket or the topic cannot be read
   */
  public Report reconcile(Duration grace, Duration window) {
    if (!running.tryLock()) {
      throw new AlreadyRunning();
    }
    try {
      Instant now = Instant.now();
      Instant to = now.minus(grace);
      Instant from = now.minus(window);
      // Events follow their PUT within the publish timeout; start reading a little earlier.
      long[] announcedKeys = announcedKeys(from.minus(config.publishTimeout()).minusSeconds(60));
      long listed = 0, examined = 0, announced = 0, republished = 0, foreign = 0, removed = 0;
      long failed = 0;
      try {
        for (ListedObject o : store.list("")) {
          listed++;
          if (o.lastModified() == null || o.lastModified().isAfter(to)) {
            continue;
          }
          if (o.key().contains(INCOMING)) {
            removed += removeLeftover(o) ? 1 : 0;
            continue;
          }
          if (!o.key().endsWith(".dcm") || o.lastModified().isBefore(from)) {
            continue;
          }
          examined++;
          if (Arrays.binarySearch(announcedKeys, hash(o.key())) >= 0) {
            announced++;
            continue;
          }
          try {
            if (republisher.republish(o.key())) {
              republished++;
              metrics.counter("strata.ingest.reconciler", "outcome", "republished").increment();
            } else {
              foreign++;
            }
          } catch (IOException | StorageException | PublishException e) {
            failed++;
            metrics.counter("strata.ingest.reconciler", "outcome", "failed").increment();
            LOG.warnf("could not republish an orphan object: %s", e.getMessage());
          }
        }
      } catch (UncheckedIOException e) {
        throw new IllegalStateException("listing the bucket failed: " + e.getMessage(), e);
      }
      return new Report(
          from, to, listed, examined, announced, republished, foreign, removed, failed);
    } finally {
      running.unlock();
    }
  }

  private boolean removeLeftover(ListedObject o) {
    try {
      store.delete(o.key());
      metrics.counter("strata.ingest.reconciler", "outcome", "leftover-removed").increment();
      return true;
    } catch (StorageException e) {
      LOG.warnf("could not remove a leftover upload: %s", e.getMessage());
      return false;
    }
  }

  /** Hashes of the object keys announced since {@code since}, sorted for binary search. */
  private long[] announcedKeys(Instant since) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long[] hashes = new long[1024];
    int n = 0;
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          c.partitionsFor(Topics.INSTANCE_STORED.name(), Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(partitions);
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(query);
      Map<TopicPartition, Long> ends = c.endOffsets(partitions);
      Map<TopicPartition, Long> remaining = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp start = starts.get(tp);
        if (start == null || start.offset() >= ends.get(tp)) {
          c.seekToEnd(List.of(tp));
        } else {
          c.seek(tp, start.offset());
          remaining.put(tp, ends.get(tp));
        }
      }
      c.pause(partitions.stream().filter(tp -> !remaining.containsKey(tp)).toList());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (!remaining.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading strata.instance.stored took too long");
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
          try {
            InstanceStored e = EventCodec.decode(r.value(), InstanceStored.class);
            if (n == hashes.length) {
              hashes = Arrays.copyOf(hashes, n * 2);
            }
            hashes[n++] = hash(e.objectLocation().key());
          } catch (RuntimeException undecodable) {
            // Another version or a foreign record: it announces nothing we could match.
          }
        }
        // Positions, not record offsets: transaction markers and gaps have no records.
        remaining.entrySet().removeIf(en -> c.position(en.getKey()) >= en.getValue());
        c.pause(partitions.stream().filter(tp -> !remaining.containsKey(tp)).toList());
      }
    }
    long[] sorted = Arrays.copyOf(hashes, n);
    Arrays.sort(sorted);
    return sorted;
  }

  private static long hash(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
