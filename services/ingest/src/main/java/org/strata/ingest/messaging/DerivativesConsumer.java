package org.strata.ingest.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
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
 * writes each instance's sidecar and frame index (ADR 0005: not on the acknowledged path).
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

  public DerivativesConsumer(
      DerivativesWriter writer, MeterRegistry metrics, DerivativesConfig config) {
    this.writer = writer;
    this.metrics = metrics;
    this.maxAttempts = Math.max(1, config.maxAttempts());
    this.initialBackoff = config.retryBackoff();
    this.maxBackoff = config.maxRetryBackoff();
  }

  @Incoming("instance-stored-derivatives")
  @Blocking
  public void consume(byte[] payload) {
    Timer.Sample sample = Timer.start(metrics);
    String outcome = consumeNow(payload);
    sample.stop(metrics.timer("strata.ingest.derivatives", "outcome", outcome));
  }

  private String consumeNow(byte[] payload) {
    InstanceStored event;
    try {
      event = EventCodec.decode(payload, InstanceStored.class);
    } catch (EventFormatException e) {
      LOG.warnf("undecodable InstanceStored record (%s); no derivatives", e.reason());
      return count("failed", "undecodable");
    }
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
