package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.service.HeaderReader.RejectedException;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * Stores one instance, whatever channel it came on: header parsed (never the pixel data), object
 * streamed to S3 while its SHA-256 is computed, InstanceStored acknowledged by Kafka, and only then
 * a success. One pass over the bytes and one S3 PUT per new instance; one Kafka round trip per
 * C-STORE instance, per STOW-RS request (its events go out together, {@link RequestEvents}).
 *
 * <p>The data path, one class per step: {@link StoreAdmission} (a store slot, the object key's
 * hold), this class (header, checks, the conditional PUT with its size limit and completeness
 * check), {@link DuplicatePolicy} (a SOP Instance UID already stored), {@link PublishOrUndo} (the
 * event from {@link InstanceStoredFactory}, acknowledged, or the object removed again). Orphans are
 * {@link EventRepublisher}'s.
 *
 * <p>Strata never rewrites a received object: what WADO returns is byte for byte what was sent, and
 * nothing is coerced (ADR 0019). The event carries the attributes as received; the index gives a
 * patient without Issuer of Patient ID its tenant's default issuer (its identity of the patient).
 */
@ApplicationScoped
public class InstanceIngestor {
  private static final Logger LOG = Logger.getLogger(InstanceIngestor.class);

  private final ObjectStore store;
  private final IngestConfig config;
  private final MeterRegistry metrics;
  private final StoreAdmission admission;
  private final DuplicatePolicy duplicates;
  private final PublishOrUndo publishOrUndo;
  private final DerivativeInputs derivativeInputs;
  private final IngestSteps steps;

  public InstanceIngestor(
      ObjectStore store,
      IngestConfig config,
      MeterRegistry metrics,
      StoreAdmission admission,
      DuplicatePolicy duplicates,
      PublishOrUndo publishOrUndo,
      DerivativeInputs derivativeInputs,
      IngestSteps steps) {
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    this.admission = admission;
    this.duplicates = duplicates;
    this.publishOrUndo = publishOrUndo;
    this.derivativeInputs = derivativeInputs;
    this.steps = steps;
  }

  /**
   * Stores the object read from {@code in} (a Part 10 file when {@code requireFileMeta}).
   *
   * @param expectedStudy the study the request targets (STOW-RS study URL), or null
   */
  public StoreResult store(
      InputStream in, IngestSource source, String expectedStudy, boolean requireFileMeta)
      throws IOException {
    return store(in, source, expectedStudy, null, requireFileMeta);
  }

  /**
   * As {@link #store(InputStream, IngestSource, String, boolean)}, also checking the SOP Instance
   * UID the DIMSE command announced; the event is published before this returns.
   */
  public StoreResult store(
      InputStream in,
      IngestSource source,
      String expectedStudy,
      String expectedSopInstance,
      boolean requireFileMeta)
      throws IOException {
    return store(
            in,
            source,
            expectedStudy,
            expectedSopInstance,
            requireFileMeta,
            RequestEvents.oneByOne(publishOrUndo))
        .join();
  }

  /** Events published together for one request's stores (ADR 0066). */
  public RequestEvents eventsOfRequest() {
    return RequestEvents.together(publishOrUndo);
  }

  /**
   * Stores the object; its event goes with {@code events}. Returns once the object is in S3 (or
   * failed); the result completes once its event is acknowledged, or failed and the object removed.
   */
  public CompletableFuture<StoreResult> store(
      InputStream in,
      IngestSource source,
      String expectedStudy,
      String expectedSopInstance,
      boolean requireFileMeta,
      RequestEvents events)
      throws IOException {
    Timer.Sample sample = Timer.start(metrics);
    admission.enter();
    CompletableFuture<StoreResult> result;
    try {
      result = storeNow(in, source, expectedStudy, expectedSopInstance, requireFileMeta, events);
    } catch (RuntimeException e) {
      // A defect, not the sender's fault: a failure status, never a success, never a crash.
      LOG.errorf("store failed unexpectedly: %s", e.getClass().getName());
      LOG.debug("store failure", e);
      result =
          CompletableFuture.completedFuture(
              StoreResult.failed(null, FailureReason.PROCESSING_FAILURE, "internal error"));
    } finally {
      admission.leave();
    }
    return result.thenApply(
        r -> {
          count(sample, source, r);
          return r;
        });
  }

  private void count(Timer.Sample sample, IngestSource source, StoreResult result) {
    String outcome =
        result.stored() ? (result.duplicate() ? "duplicate" : "stored") : result.failure().name();
    sample.stop(
        metrics.timer(
            "strata.ingest.store", "channel", source.channel().name(), "outcome", outcome));
    metrics
        .counter(
            "strata.ingest.instances",
            "channel",
            source.channel().name(),
            "tenant",
            source.tenant(),
            "outcome",
            outcome)
        .increment();
  }

  private CompletableFuture<StoreResult> storeNow(
      InputStream in,
      IngestSource source,
      String expectedStudy,
      String expectedSopInstance,
      boolean requireFileMeta,
      RequestEvents events)
      throws IOException {
    ParsedHeader header;
    long headerStart = System.nanoTime();
    try {
      header = HeaderReader.read(in, config.maxHeaderSize(), requireFileMeta);
    } catch (RejectedException e) {
      return done(StoreResult.failed(e.header, e.reason, e.getMessage()));
    }
    steps.record("header", System.nanoTime() - headerStart);
    if (expectedStudy != null && !expectedStudy.equals(header.studyInstanceUid())) {
      return done(
          StoreResult.failed(
              header,
              FailureReason.DATASET_DOES_NOT_MATCH,
              "Study Instance UID differs from the study of the request URL"));
    }

    if (expectedSopInstance != null && !expectedSopInstance.equals(header.sopInstanceUid())) {
      return done(
          StoreResult.failed(
              header,
              FailureReason.DATASET_DOES_NOT_MATCH,
              "SOP Instance UID differs from the one in the C-STORE request"));
    }
    String tenant = source.tenant();
    String key =
        ObjectKeys.instance(
            tenant,
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            header.sopInstanceUid(),
            1);
    StoreAdmission.KeyHold hold = admission.hold(key);
    boolean handedOver = false;
    try {
      Step step = storeUnderKey(in, header, source, key, tenant);
      if (step.toPublish() == null) {
        return done(step.done());
      }
      // From here the key is released by the publication, whichever thread does it.
      handedOver = true;
      return events.add(step.toPublish().heldBy(hold));
    } finally {
      if (!handedOver) {
        hold.release();
      }
    }
  }

  private static CompletableFuture<StoreResult> done(StoreResult result) {
    return CompletableFuture.completedFuture(result);
  }

  /** Where a store stands once its object is written: answered, or its event still to publish. */
  private record Step(StoreResult done, PublishOrUndo.Pending toPublish) {
    static Step answered(StoreResult result) {
      return new Step(result, null);
    }

    static Step publish(PublishOrUndo.Pending pending) {
      return new Step(null, pending);
    }
  }

  private Step storeUnderKey(
      InputStream in, ParsedHeader header, IngestSource source, String key, String tenant)
      throws IOException {
    String eventId = UUID.randomUUID().toString();
    Map<String, String> userMetadata = ObjectMetadata.of(eventId, source, Instant.now());
    MessageDigest sha256 = Sha256.newDigest();
    LimitedInputStream limited =
        new LimitedInputStream(
            new SequenceInputStream(new ByteArrayInputStream(header.headerBytes()), in),
            config.maxObjectSize());
    CompletenessCheck complete =
        new CompletenessCheck(limited, header.pixelDataEnd(), header.fragmentsStart());
    TailRecorder tail =
        new TailRecorder(
            complete, derivativeInputs.keptFrom(header), DerivativeInputs.MAX_KEPT_TAIL);
    ReadTime receiving = new ReadTime(tail);
    InputStream body = new DigestInputStream(receiving, sha256);

    long size;
    try {
      long putStart = System.nanoTime();
      // The digest the object is read through is the PUT's payload hash too: its bytes are
      // hashed once, not again by the S3 client (ADR 0074).
      ObjectStore.PutOutcome outcome =
          store.putIfAbsent(key, body, "application/dicom", userMetadata, sha256);
      // Where a store's time goes: reading the sender's bytes (network, the sender's pace) and
      // the S3 request around them.
      steps.record("receive", receiving.nanos());
      steps.record("s3-put", System.nanoTime() - putStart - receiving.nanos());
      if (!outcome.stored()) {
        // Known SOP Instance UID: received beside it, then compared.
        DuplicatePolicy.Decision decision =
            duplicates.receive(
                header,
                tenant,
                key,
                eventId,
                outcome.unsent(),
                userMetadata,
                () -> HexFormat.of().formatHex(sha256.digest()));
        return switch (decision) {
          case DuplicatePolicy.Answered a -> Step.answered(a.result());
          case DuplicatePolicy.NewVersion v ->
              Step.publish(
                  publishOrUndo.prepare(
                      header,
                      tail.tail(),
                      source,
                      eventId,
                      v.key(),
                      v.size(),
                      v.digest(),
                      v.version()));
        };
      }
      size = outcome.size();
    } catch (CompletenessCheck.TruncatedException e) {
      return Step.answered(
          StoreResult.failed(header, FailureReason.CANNOT_UNDERSTAND, e.getMessage()));
    } catch (LimitedInputStream.TooLargeException e) {
      return Step.answered(tooLarge(header));
    } catch (StorageException e) {
      if (complete.truncated()) {
        return Step.answered(
            StoreResult.failed(
                header, FailureReason.CANNOT_UNDERSTAND, "object truncated inside Pixel Data"));
      }
      if (limited.exceeded()) {
        // The SDK wraps our stream's failure; the upload was abandoned, nothing was stored.
        return Step.answered(tooLarge(header));
      }
      LOG.warnf("object storage failed: %s", e.getMessage());
      return Step.answered(
          StoreResult.failed(
              header, FailureReason.OUT_OF_RESOURCES, "object storage unavailable, retry later"));
    }
    String digest = HexFormat.of().formatHex(sha256.digest());
    return Step.publish(
        publishOrUndo.prepare(header, tail.tail(), source, eventId, key, size, digest, 1));
  }

  private StoreResult tooLarge(ParsedHeader header) {
    return StoreResult.failed(
        header, FailureReason.OBJECT_TOO_LARGE, "object larger than " + config.maxObjectSize());
  }
}
