package org.strata.ingest.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.InstanceIndexed;
import org.strata.events.Topics;
import org.strata.ingest.config.IngestConfig;

/**
 * Read-your-writes (ADR 0010): lets a STOW-RS request, or a DIMSE association before its release,
 * wait until the index has applied the InstanceStored events it published, so the QIDO a client
 * sends afterwards finds the instances.
 *
 * <p>Every ingest replica reads all partitions of {@code strata.instance.indexed} from the end (no
 * consumer group: each replica only completes the waits of its own requests). A wait is registered
 * before the event is published, so the acknowledgement cannot be missed. Waiting is bounded: the
 * object is durable whatever happens here, so a slow or stopped index turns into a warning on the
 * response, never into a failure.
 */
@ApplicationScoped
public class IndexAcknowledgements {
  private static final Logger LOG = Logger.getLogger(IndexAcknowledgements.class);

  private final IngestConfig config;
  private final String bootstrap;
  private final MeterRegistry metrics;
  private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running;
  private Thread poller;

  public IndexAcknowledgements(
      IngestConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      MeterRegistry metrics) {
    this.config = config;
    this.bootstrap = bootstrap;
    this.metrics = metrics;
    // Should fall back to zero between requests; a level that only grows is a leak.
    Gauge.builder("strata.ingest.index.acknowledgements.pending", pending, Map::size)
        .description("Read-your-writes expectations not yet settled (ADR 0010)")
        .register(metrics);
  }

  /** Whether STOW-RS and DIMSE releases wait for the index at all. */
  public boolean enabled() {
    return config.readYourWrites().enabled();
  }

  void start(@Observes StartupEvent ignored) {
    if (!enabled()) {
      return;
    }
    running = true;
    poller = Thread.ofPlatform().daemon().name("index-acknowledgements").start(this::pollLoop);
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (poller != null) {
      try {
        poller.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Registers interest in the index applying {@code storedEventId}; call before publishing it. */
  public void expect(String storedEventId) {
    if (enabled()) {
      pending.computeIfAbsent(storedEventId, id -> new CompletableFuture<>());
    }
  }

  /** Forgets an expectation whose event was never published. */
  public void forget(String storedEventId) {
    pending.remove(storedEventId);
  }

  /** Forgets expectations nobody will wait for (a refused or broken request); no-op if settled. */
  public void forget(Collection<String> storedEventIds) {
    storedEventIds.forEach(pending::remove);
  }

  /** Expectations registered and not yet settled or forgotten. */
  public int pendingCount() {
    return pending.size();
  }

  /** Who waits, and the timer its waits are recorded in (outcome indexed or timeout). */
  public enum Waiter {
    /** A STOW-RS request before its answer (ADR 0010). */
    STOW("strata.ingest.index.wait", "STOW-RS wait from durable to searchable (read-your-writes)"),
    /** A DIMSE association before its A-RELEASE-RP (ADR 0010 amendment). */
    DIMSE_RELEASE(
        "strata.ingest.dimse.release.index.wait",
        "A-RELEASE-RP held until the association's instances are searchable");

    private final String meter;
    private final String description;

    Waiter(String meter, String description) {
      this.meter = meter;
      this.description = description;
    }
  }

  /**
   * Waits until all events are indexed or the configured timeout passes (STOW-RS).
   *
   * @return true when all were indexed in time
   */
  public boolean awaitIndexed(Collection<String> storedEventIds) {
    return awaitIndexed(storedEventIds, Waiter.STOW);
  }

  /**
   * Waits until all events are indexed or the configured timeout passes; forgets them either way.
   *
   * @return true when all were indexed in time
   */
  public boolean awaitIndexed(Collection<String> storedEventIds, Waiter waiter) {
    if (!enabled() || storedEventIds.isEmpty()) {
      return true;
    }
    long start = System.nanoTime();
    long deadline = start + config.readYourWrites().timeout().toNanos();
    boolean all = true;
    try {
      if (!assigned.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        all = false;
      }
      for (String id : storedEventIds) {
        CompletableFuture<Void> f = pending.get(id);
        if (f == null || !all) {
          all = false;
          continue;
        }
        try {
          f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          all = false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      all = false;
    } finally {
      storedEventIds.forEach(pending::remove);
    }
    Timer.builder(waiter.meter)
        .description(waiter.description)
        .tag("outcome", all ? "indexed" : "timeout")
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(metrics)
        .record(Duration.ofNanos(System.nanoTime() - start));
    return all;
  }

  /**
   * True, and forgotten, if the event is already indexed: lets a long-lived waiter (an association
   * storing thousands of instances) drop what needs no more waiting before its final wait.
   */
  public boolean settled(String storedEventId) {
    CompletableFuture<Void> f = pending.get(storedEventId);
    if (f != null && f.isDone()) {
      pending.remove(storedEventId);
      return true;
    }
    return false;
  }

  private void pollLoop() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties())) {
        consumer = c;
        List<TopicPartition> partitions =
            c.partitionsFor(Topics.INSTANCE_INDEXED.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        // Resolve the end offsets now: waits registered from here on cannot be missed.
        partitions.forEach(c::position);
        assigned.countDown();
        while (running) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
            complete(r.value());
          }
        }
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        // Kafka unreachable for now: waits time out into warnings; try again shortly.
        LOG.warnf("index acknowledgements unavailable: %s", e.getMessage());
        sleepQuietly();
      }
    }
  }

  private void complete(byte[] value) {
    if (pending.isEmpty()) {
      return;
    }
    try {
      InstanceIndexed indexed = EventCodec.decode(value, InstanceIndexed.class);
      CompletableFuture<Void> f = pending.get(indexed.storedEventId());
      if (f != null) {
        f.complete(null);
      }
    } catch (RuntimeException e) {
      // Not ours to judge: a newer event version or a foreign record; the wait times out.
      LOG.debugf("unreadable InstanceIndexed record: %s", e.getMessage());
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
