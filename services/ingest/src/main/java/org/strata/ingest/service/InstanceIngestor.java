package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.strata.dicom.Tag;
import org.strata.dicom.io.TransferSyntax;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;
import org.strata.ingest.config.DerivativesConfig;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.derivatives.PreparedHeaders;
import org.strata.ingest.messaging.IndexAcknowledgements;
import org.strata.ingest.messaging.InstanceStoredPublisher;
import org.strata.ingest.messaging.InstanceStoredPublisher.PublishException;
import org.strata.ingest.service.HeaderReader.RejectedException;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * Stores one instance, whatever channel it came on: header parsed (never the pixel data), object
 * streamed to S3 while its SHA-256 is computed, InstanceStored acknowledged by Kafka, and only then
 * a success. One pass over the bytes, one S3 PUT and one Kafka round trip per new instance.
 *
 * <p>Strata never rewrites a received object: what WADO returns is byte for byte what was sent, and
 * nothing is coerced (ADR 0019). The event carries the attributes as received; the index gives a
 * patient without Issuer of Patient ID its tenant's default issuer (its identity of the patient).
 */
@ApplicationScoped
public class InstanceIngestor {
  private static final Logger LOG = Logger.getLogger(InstanceIngestor.class);

  /** Most bytes after Pixel Data kept for the derivatives (trailing padding is ~100 bytes). */
  private static final int MAX_KEPT_TAIL = 64 * 1024;

  private final ObjectStore store;
  private final InstanceStoredPublisher publisher;
  private final IndexAcknowledgements indexAcks;
  private final IngestConfig config;
  private final MeterRegistry metrics;
  private final Semaphore concurrentStores;
  private final ReentrantLock[] keyLocks = new ReentrantLock[1024];
  private final PreparedHeaders preparedHeaders;
  private final long inlineLimit;

  public InstanceIngestor(
      ObjectStore store,
      InstanceStoredPublisher publisher,
      IndexAcknowledgements indexAcks,
      IngestConfig config,
      MeterRegistry metrics,
      PreparedHeaders preparedHeaders,
      DerivativesConfig derivatives) {
    this.store = store;
    this.preparedHeaders = preparedHeaders;
    this.inlineLimit = derivatives.bulkDataThreshold();
    this.publisher = publisher;
    this.indexAcks = indexAcks;
    this.config = config;
    this.metrics = metrics;
    this.concurrentStores = new Semaphore(config.maxConcurrentStores(), true);
    for (int i = 0; i < keyLocks.length; i++) {
      keyLocks[i] = new ReentrantLock();
    }
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
   * UID the DIMSE command announced.
   */
  public StoreResult store(
      InputStream in,
      IngestSource source,
      String expectedStudy,
      String expectedSopInstance,
      boolean requireFileMeta)
      throws IOException {
    Timer.Sample sample = Timer.start(metrics);
    // Back-pressure: wait for a slot rather than take on more than memory and S3 can bear.
    concurrentStores.acquireUninterruptibly();
    StoreResult result;
    try {
      result = storeNow(in, source, expectedStudy, expectedSopInstance, requireFileMeta);
    } catch (RuntimeException e) {
      // A defect, not the sender's fault: a failure status, never a success, never a crash.
      LOG.errorf("store failed unexpectedly: %s", e.getClass().getName());
      LOG.debug("store failure", e);
      result = StoreResult.failed(null, FailureReason.PROCESSING_FAILURE, "internal error");
    } finally {
      concurrentStores.release();
    }
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
    return result;
  }

  private StoreResult storeNow(
      InputStream in,
      IngestSource source,
      String expectedStudy,
      String expectedSopInstance,
      boolean requireFileMeta)
      throws IOException {
    ParsedHeader header;
    long headerStart = System.nanoTime();
    try {
      header = HeaderReader.read(in, config.maxHeaderSize(), requireFileMeta);
    } catch (RejectedException e) {
      return StoreResult.failed(e.header, e.reason, e.getMessage());
    }
    step("header", System.nanoTime() - headerStart);
    if (expectedStudy != null && !expectedStudy.equals(header.studyInstanceUid())) {
      return StoreResult.failed(
          header,
          FailureReason.DATASET_DOES_NOT_MATCH,
          "Study Instance UID differs from the study of the request URL");
    }

    if (expectedSopInstance != null && !expectedSopInstance.equals(header.sopInstanceUid())) {
      return StoreResult.failed(
          header,
          FailureReason.DATASET_DOES_NOT_MATCH,
          "SOP Instance UID differs from the one in the C-STORE request");
    }
    String tenant = source.tenant();
    String key =
        ObjectKeys.instance(
            tenant,
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            header.sopInstanceUid(),
            1);
    // One store per object key at a time in this process: a concurrent duplicate must neither
    // race the conditional PUT (s3proxy's filesystem store does not make it atomic) nor be
    // acknowledged against an object that a failed publish is about to remove.
    ReentrantLock lock = keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
    lock.lock();
    try {
      return storeUnderKey(in, header, source, key, tenant);
    } finally {
      lock.unlock();
    }
  }

  private StoreResult storeUnderKey(
      InputStream in, ParsedHeader header, IngestSource source, String key, String tenant)
      throws IOException {
    String eventId = UUID.randomUUID().toString();
    Map<String, String> userMetadata = ObjectMetadata.of(eventId, source, Instant.now());
    MessageDigest sha256 = sha256();
    LimitedInputStream limited =
        new LimitedInputStream(
            new SequenceInputStream(new ByteArrayInputStream(header.headerBytes()), in),
            config.maxObjectSize());
    CompletenessCheck complete =
        new CompletenessCheck(limited, header.pixelDataEnd(), header.fragmentsStart());
    TailRecorder tail = new TailRecorder(complete, keptFrom(header), MAX_KEPT_TAIL);
    ReadTime receiving = new ReadTime(tail);
    InputStream body = new DigestInputStream(receiving, sha256);

    long size;
    String storedKey = key;
    int version = 1;
    boolean duplicate = false;
    try {
      long putStart = System.nanoTime();
      ObjectStore.PutOutcome outcome =
          store.putIfAbsent(key, body, "application/dicom", userMetadata);
      // Where a store's time goes: reading the sender's bytes (network, the sender's pace) and
      // the S3 request around them.
      step("receive", receiving.nanos());
      step("s3-put", System.nanoTime() - putStart - receiving.nanos());
      if (outcome.stored()) {
        size = outcome.size();
      } else {
        // Known SOP Instance UID: receive beside it, then compare content.
        String incoming = key + ".incoming-" + eventId;
        size = store.put(incoming, outcome.unsent(), "application/dicom", userMetadata);
        String digest = HexFormat.of().formatHex(sha256.digest());
        if (digest.equals(digestOf(key))) {
          store.delete(incoming);
          metrics.counter("strata.ingest.duplicates", "tenant", tenant, "same", "true").increment();
          return StoreResult.stored(header, true, null);
        }
        metrics.counter("strata.ingest.duplicates", "tenant", tenant, "same", "false").increment();
        if (config.duplicatePolicy() == IngestConfig.DuplicatePolicy.REJECT) {
          store.delete(incoming);
          return StoreResult.failed(
              header,
              FailureReason.DUPLICATE_SOP_INSTANCE,
              "SOP Instance UID already stored with different content");
        }
        version = nextVersion(header, tenant);
        storedKey =
            ObjectKeys.instance(
                tenant,
                header.studyInstanceUid(),
                header.seriesInstanceUid(),
                header.sopInstanceUid(),
                version);
        store.copy(incoming, storedKey);
        store.delete(incoming);
        duplicate = false;
        return publishOrUndo(
            header, tail.tail(), source, eventId, storedKey, size, digest, version, true);
      }
    } catch (CompletenessCheck.TruncatedException e) {
      return StoreResult.failed(header, FailureReason.CANNOT_UNDERSTAND, e.getMessage());
    } catch (LimitedInputStream.TooLargeException e) {
      return StoreResult.failed(
          header, FailureReason.OBJECT_TOO_LARGE, "object larger than " + config.maxObjectSize());
    } catch (StorageException e) {
      if (complete.truncated()) {
        return StoreResult.failed(
            header, FailureReason.CANNOT_UNDERSTAND, "object truncated inside Pixel Data");
      }
      if (limited.exceeded()) {
        // The SDK wraps our stream's failure; the upload was abandoned, nothing was stored.
        return StoreResult.failed(
            header, FailureReason.OBJECT_TOO_LARGE, "object larger than " + config.maxObjectSize());
      }
      LOG.warnf("object storage failed: %s", e.getMessage());
      return StoreResult.failed(
          header, FailureReason.OUT_OF_RESOURCES, "object storage unavailable, retry later");
    }
    String digest = HexFormat.of().formatHex(sha256.digest());
    return publishOrUndo(
        header, tail.tail(), source, eventId, storedKey, size, digest, version, duplicate);
  }

  private StoreResult publishOrUndo(
      ParsedHeader header,
      byte[] tail,
      IngestSource source,
      String eventId,
      String key,
      long size,
      String digest,
      int version,
      boolean createdNewKey) {
    InstanceStored event = event(header, source, eventId, key, size, digest, version);
    // STOW-RS requests and DIMSE releases wait for the index (read-your-writes, ADR 0010);
    // registered before publishing, so the acknowledgement cannot be missed.
    indexAcks.expect(eventId);
    if (headerStandsForObject(header, tail, size)) {
      // The derivatives writer needs nothing else (ADR 0015): no read-back of the object. Kept
      // before publishing: this process's consumer may see the event before send() returns.
      preparedHeaders.offer(eventId, header.headerBytes(), keptFrom(header), tail, size);
    }
    try {
      long publishStart = System.nanoTime();
      publisher.publish(event);
      step("kafka-publish", System.nanoTime() - publishStart);
    } catch (PublishException e) {
      preparedHeaders.remove(eventId);
      indexAcks.forget(eventId);
      LOG.warnf("event not acknowledged by Kafka (%s); removing the object", e.getMessage());
      try {
        store.delete(key);
      } catch (StorageException deleteFailed) {
        // The object stays without an event; the reconciler (ADR 0005) publishes or removes it.
        metrics.counter("strata.ingest.orphans").increment();
        LOG.warnf("object left without event (eventId %s): %s", eventId, deleteFailed.getMessage());
      }
      return StoreResult.failed(
          header, FailureReason.OUT_OF_RESOURCES, "event log unavailable, retry later");
    }
    metrics.counter("strata.ingest.bytes", "channel", source.channel().name()).increment(size);
    LOG.debugf("stored %s as %s", header.sopInstanceUid(), key);
    return StoreResult.stored(header, false, eventId);
  }

  /**
   * True when every byte of the object the derivatives writer reads is known without the object:
   * the header, then a native Pixel Data value (only referenced, never read), then the kept tail
   * (e.g. trailing padding); or no pixel data at all (the header is the whole object).
   */
  boolean headerStandsForObject(ParsedHeader header, byte[] tail, long size) {
    if (header.fragmentsStart() != ParsedHeader.UNKNOWN
        || TransferSyntax.of(header.transferSyntaxUid()).deflated()) {
      return false;
    }
    if (header.pixelDataEnd() == ParsedHeader.UNKNOWN) {
      return header.headerBytes().length == size;
    }
    return tail != null && keptFrom(header) + tail.length == size;
  }

  /**
   * Where the kept tail starts: after the Pixel Data value, or at its start when the value is small
   * enough for the sidecar to inline it (then the derivatives writer reads it).
   */
  private long keptFrom(ParsedHeader header) {
    if (header.pixelDataEnd() == ParsedHeader.UNKNOWN) {
      return -1;
    }
    return header.pixelDataEnd() - header.pixelDataStart() <= inlineLimit
        ? header.pixelDataStart()
        : header.pixelDataEnd();
  }

  /** The event that announces a stored object, with its attributes as received. */
  private InstanceStored event(
      ParsedHeader header,
      IngestSource source,
      String eventId,
      String key,
      long size,
      String digest,
      int version) {
    InstanceStored event =
        new InstanceStored(
            eventId,
            Instant.now(),
            source.tenant(),
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            header.sopInstanceUid(),
            header.sopClassUid(),
            header.transferSyntaxUid(),
            trimToNull(header.dataset().getString(Tag.PatientID)),
            trimToNull(header.dataset().getString(Tag.IssuerOfPatientID)),
            trimToNull(header.dataset().getString(Tag.AccessionNumber)),
            trimToNull(header.dataset().getString(Tag.Modality)),
            trimToNull(header.dataset().getString(Tag.StudyDate)),
            new ObjectLocation(
                store.bucket(),
                key,
                size,
                digest,
                ObjectKeys.sidecar(
                    source.tenant(),
                    header.studyInstanceUid(),
                    header.seriesInstanceUid(),
                    header.sopInstanceUid()),
                ObjectKeys.frameIndex(
                    source.tenant(),
                    header.studyInstanceUid(),
                    header.seriesInstanceUid(),
                    header.sopInstanceUid())),
            source.toEventSource(),
            version,
            IndexAttributes.of(header.dataset()));
    return event;
  }

  /**
   * Publishes the InstanceStored event of an object that is in the bucket without one (an ingest
   * process died between the PUT and the Kafka acknowledgement): read back, parsed and hashed as on
   * arrival, with the event id and source recorded in the object's metadata, so the event is the
   * one the original request would have published.
   *
   * @return false when the object carries no Strata metadata (not ours: left alone)
   */
  public boolean republish(String key) throws IOException, StorageException, PublishException {
    Map<String, String> meta =
        store.stat(key).orElseThrow(() -> new IOException("object vanished")).userMetadata();
    Optional<IngestSource> source = ObjectMetadata.source(meta);
    String eventId = meta.get(ObjectMetadata.EVENT_ID);
    if (source.isEmpty() || eventId == null) {
      return false;
    }
    MessageDigest sha256 = sha256();
    ParsedHeader header;
    long size;
    try (InputStream in = new DigestInputStream(store.get(key), sha256)) {
      try {
        header = HeaderReader.read(in, config.maxHeaderSize(), true);
      } catch (RejectedException e) {
        throw new IOException("stored object does not parse: " + e.getMessage(), e);
      }
      size = header.headerBytes().length + in.transferTo(OutputStream.nullOutputStream());
    }
    InstanceStored event =
        event(
            header,
            source.get(),
            eventId,
            key,
            size,
            HexFormat.of().formatHex(sha256.digest()),
            ObjectMetadata.version(key));
    publisher.publish(event);
    LOG.debugf("republished the event of %s", key);
    return true;
  }

  /**
   * One step of the acknowledged path ({@code strata.ingest.step}), for benchmarks and dashboards.
   */
  private void step(String step, long nanos) {
    metrics.timer("strata.ingest.step", "step", step).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts the time spent waiting in {@code read} of the wrapped stream. */
  static final class ReadTime extends FilterInputStream {
    private long nanos;

    ReadTime(InputStream in) {
      super(in);
    }

    long nanos() {
      return nanos;
    }

    @Override
    public int read() throws IOException {
      long t0 = System.nanoTime();
      try {
        return super.read();
      } finally {
        nanos += System.nanoTime() - t0;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long t0 = System.nanoTime();
      try {
        return super.read(b, off, len);
      } finally {
        nanos += System.nanoTime() - t0;
      }
    }
  }

  /** SHA-256 of a stored object, read back (only for duplicates, which are rare). */
  private String digestOf(String key) throws StorageException {
    MessageDigest digest = sha256();
    try (InputStream in = store.get(key)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new StorageException("reading the stored object failed: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private int nextVersion(ParsedHeader h, String tenant) throws StorageException {
    int version = 2;
    while (store
        .stat(
            ObjectKeys.instance(
                tenant, h.studyInstanceUid(), h.seriesInstanceUid(), h.sopInstanceUid(), version))
        .isPresent()) {
      version++;
    }
    return version;
  }

  private static String trimToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails the read once more than {@code limit} bytes went through. */
  static final class LimitedInputStream extends FilterInputStream {
    static final class TooLargeException extends IOException {
      private static final long serialVersionUID = 1L;
    }

    private final long limit;
    private long count;

    boolean exceeded() {
      return count > limit;
    }

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && ++count > limit) {
        throw new TooLargeException();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && (count += n) > limit) {
        throw new TooLargeException();
      }
      return n;
    }
  }
}
