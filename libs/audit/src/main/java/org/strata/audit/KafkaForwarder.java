package org.strata.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.events.Topics;

/**
 * Sends the spool's records to {@code strata.audit.record} in order, with the data events'
 * guarantees (acks=all, idempotence), and lets the spool forget them only once Kafka acknowledged
 * them. While Kafka is away it retries with a growing pause; a batch whose outcome is unknown is
 * sent again (at least once: the audit service drops repeats by event id).
 */
final class KafkaForwarder implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaForwarder.class);
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final long MAX_PAUSE_MS = 10_000;

  private final AuditSpool spool;
  private final String bootstrap;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long drainUntilNanos;
  private KafkaProducer<String, byte[]> producer;
  private volatile boolean connected = true;
  private volatile boolean everSent;

  KafkaForwarder(AuditSpool spool, String bootstrap, String service) {
    this.spool = spool;
    this.bootstrap = bootstrap;
    this.thread = Thread.ofPlatform().daemon().name("audit-forwarder-" + service).unstarted(this);
  }

  void start() {
    thread.start();
  }

  /** Whether the last attempt to send reached Kafka. */
  boolean connected() {
    return connected;
  }

  @Override
  public void run() {
    long pauseMs = 200;
    while (!stopping || (System.nanoTime() < drainUntilNanos && spool.pendingRecords() > 0)) {
      AuditSpool.Batch batch;
      try {
        batch = spool.next(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        LOG.error("audit spool unreadable; retrying", e);
        pause(pauseMs);
        continue;
      }
      if (batch == null) {
        continue;
      }
      try {
        send(batch);
        spool.acknowledge(batch);
        if (!connected) {
          LOG.info("audit records reach Kafka again");
        }
        connected = true;
        everSent = true;
        pauseMs = 200;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        if (connected) {
          LOG.warn(
              "audit records wait in the spool: Kafka did not acknowledge them ({})", e.toString());
        }
        connected = false;
        closeProducer(Duration.ZERO); // a fresh producer, no state of the failed attempt
        pause(pauseMs);
        pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
      }
    }
    closeProducer(Duration.ofSeconds(5));
  }

  private void send(AuditSpool.Batch batch) throws Exception {
    if (producer == null) {
      producer = newProducer();
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.lines().size());
    for (AuditSpool.Line line : batch.lines()) {
      acks.add(
          producer.send(
              new ProducerRecord<>(Topics.AUDIT_RECORD.name(), line.key(), line.value())));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(DELIVERY_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }
  }

  private KafkaProducer<String, byte[]> newProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private void closeProducer(Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        LOG.debug("audit producer close", e);
      }
      producer = null;
    }
  }

  private void pause(long ms) {
    try {
      Thread.sleep(stopping ? Math.min(ms, 200) : ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops after sending what is spooled, for at most {@code drain}; the rest stays spooled. */
  void stop(Duration drain) {
    // Kafka never answered (or stopped answering): nothing to drain into, stop at once.
    boolean reachable = connected && everSent;
    drainUntilNanos = System.nanoTime() + (reachable ? drain.toNanos() : 0);
    stopping = true;
    spool.wake();
    try {
      thread.join(reachable ? drain.toMillis() + 2_000 : 1_000);
      if (thread.isAlive()) { // waiting for an acknowledgement that does not come
        thread.interrupt();
        thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
