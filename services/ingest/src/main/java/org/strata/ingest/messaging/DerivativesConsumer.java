package org.strata.ingest.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.strata.dicom.DicomParseException;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.InstanceStored;
import org.strata.ingest.config.DerivativesConfig;
import org.strata.ingest.derivatives.DerivativesWriter;
import org.strata.ingest.derivatives.DerivativesWriter.Outcome;
import org.strata.storage.StorageException;

/**
 * Consumes {@code strata.instance.stored} in its own group ({@code strata-ingest-derivatives}) and
 * writes each instance's sidecar and frame index (ADR 0005: not on the acknowledged path). Records
 * come a poll at a time: the instances of a batch are written concurrently ({@code
 * strata.derivatives.concurrency}), the events of one instance in order, and the batch's offsets
 * are committed once all are done.
 *
 * <p>Failure handling: object storage failing is transient and shared by every following record, so
 * the record is retried in place (exponential backoff, {@code strata.derivatives.max-attempts}) and
 * the partition waits. Everything else (undecodable event, object that does not parse or cannot be
 * indexed, deleted object) would fail again the same way: it is counted, logged at WARN with the
 * event id and a reason code only (no UIDs, no names: PHI stays out of logs), and skipped. No
 * dead-letter topic: the event itself stays in {@code strata.instance.stored} (14 days) and the
 * query service falls back to the object while a derivative is missing, so a skipped record loses
 * nothing that a replay could not restore. {@code failure-strategy=ignore} is only the backstop for
 * defects (this method catches everything it expects).
 */
@ApplicationScoped
public class DerivativesConsumer {
  private static final Logger LOG = Logger.getLogger(DerivativesConsumer.class);

  private final DerivativesWriter writer;
  private final MeterRegistry metrics;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots;

  public DerivativesConsumer(
      DerivativesWriter writer, MeterRegistry metrics, DerivativesConfig config) {
    this.writer = writer;
    this.metrics = metrics;
    this.maxAttempts = Math.max(1, config.maxAttempts());
    this.initialBackoff = config.retryBackoff();
    this.maxBackoff = config.maxRetryBackoff();
    this.slots = new Semaphore(Math.max(1, config.concurrency()));
  }

  @Incoming("instance-stored-derivatives")
  @Blocking
  public void consume(List<byte[]> payloads) {
    // Events of one instance stay in order (a newer version's derivatives must win); different
    // instances are written concurrently, since each costs S3 round trips, not CPU.
    Map<String, List<InstanceStored>> byInstance = new LinkedHashMap<>();
    for (byte[] payload : payloads) {
      try {
        InstanceStored event = EventCodec.decode(payload, InstanceStored.class);
        byInstance
            .computeIfAbsent(event.tenant() + "/" + event.sopInstanceUid(), k -> new ArrayList<>())
            .add(event);
      } catch (EventFormatException e) {
        LOG.warnf("undecodable InstanceStored record (%s); no derivatives", e.reason());
        count("failed", "undecodable");
      }
    }
    List<Future<?>> running = new ArrayList<>();
    for (List<InstanceStored> events : byInstance.values()) {
      slots.acquireUninterruptibly();
      running.add(
          executor.submit(
              () -> {
                try {
                  events.forEach(this::consumeTimed);
                } finally {
                  slots.release();
                }
              }));
    }
    // The batch's offsets are committed when this returns: every write must be done first.
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        LOG.warnf("derivatives task failed (%s)", e.getCause().getClass().getSimpleName());
      }
    }
  }

  private void consumeTimed(InstanceStored event) {
    Timer.Sample sample = Timer.start(metrics);
    String outcome = consumeNow(event);
    sample.stop(metrics.timer("strata.ingest.derivatives", "outcome", outcome));
  }

  @PreDestroy
  void close() {
    executor.shutdown();
  }

  private String consumeNow(InstanceStored event) {
    long backoff = initialBackoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        DerivativesWriter.Result result = writer.write(event);
        if (result.outcome() == Outcome.SKIPPED) {
          LOG.debugf("event %s: derivatives skipped (%s)", event.eventId(), result.reason());
          return count("skipped", result.reason());
        }
        if (result.frameIndexSkipped() != null) {
          metrics
              .counter("strata.ingest.frame.index.skipped", "reason", result.frameIndexSkipped())
              .increment();
        }
        metrics.counter("strata.derivatives.read", "from", result.readFrom()).increment();
        LOG.debugf("event %s: derivatives written", event.eventId());
        return count("written", "none");
      } catch (StorageException | IOException e) {
        // Exception messages can quote object keys (UIDs): class names only above DEBUG.
        if (attempt >= maxAttempts) {
          LOG.warnf(
              "event %s: derivatives not written after %d attempts (%s)",
              event.eventId(), attempt, e.getClass().getSimpleName());
          return count("failed", "storage");
        }
        metrics.counter("strata.derivatives.retries").increment();
        LOG.debugf(e, "event %s: attempt %d failed, retrying", event.eventId(), attempt);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          LOG.warnf("event %s: interrupted (shutdown); derivatives not written", event.eventId());
          return count("failed", "interrupted");
        }
        backoff = Math.min(backoff * 2, maxBackoff.toMillis());
      } catch (DicomParseException e) {
        LOG.warnf(
            "event %s: stored object does not parse at offset %d; no derivatives",
            event.eventId(), e.offset());
        return count("failed", "unparsable");
      } catch (RuntimeException e) {
        LOG.warnf(
            "event %s: derivatives failed (%s)", event.eventId(), e.getClass().getSimpleName());
        LOG.debugf(e, "event %s: derivatives failed", event.eventId());
        return count("failed", "internal");
      }
    }
  }

  private String count(String outcome, String reason) {
    metrics.counter("strata.derivatives.events", "outcome", outcome, "reason", reason).increment();
    return outcome;
  }
}
