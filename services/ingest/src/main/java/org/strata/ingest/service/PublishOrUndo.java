package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.events.MetadataCompression;
import org.strata.ingest.derivatives.PreparedHeaders;
import org.strata.ingest.derivatives.SidecarJson;
import org.strata.ingest.messaging.IndexAcknowledgements;
import org.strata.ingest.messaging.InstanceStoredPublisher;
import org.strata.ingest.messaging.InstanceStoredPublisher.PublishException;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * The last step of a store (ADR 0005): the InstanceStored event is published and acknowledged by
 * Kafka ({@code acks=all}) before the store is a success; if it is not, the object just stored is
 * removed again and the sender gets a failure to retry. An object whose removal fails too stays
 * without an event, for the orphan reconciler (ADR 0011).
 *
 * <p>Two halves, so that the events of one STOW-RS request can go out together (ADR 0066): {@link
 * #prepare} makes the event of a stored object, {@link #publishAll} sends a batch of them, waits
 * for each acknowledgement, and settles each store on its own: an event not acknowledged fails (and
 * removes) its own instance only.
 */
@ApplicationScoped
public class PublishOrUndo {
  private static final Logger LOG = Logger.getLogger(PublishOrUndo.class);

  private final ObjectStore store;
  private final InstanceStoredPublisher publisher;
  private final IndexAcknowledgements indexAcks;
  private final PreparedHeaders preparedHeaders;
  private final InstanceStoredFactory events;
  private final DerivativeInputs derivativeInputs;
  private final SidecarJson sidecars;
  private final IngestSteps steps;
  private final MeterRegistry metrics;

  public PublishOrUndo(
      ObjectStore store,
      InstanceStoredPublisher publisher,
      IndexAcknowledgements indexAcks,
      PreparedHeaders preparedHeaders,
      InstanceStoredFactory events,
      DerivativeInputs derivativeInputs,
      SidecarJson sidecars,
      IngestSteps steps,
      MeterRegistry metrics) {
    this.store = store;
    this.publisher = publisher;
    this.indexAcks = indexAcks;
    this.preparedHeaders = preparedHeaders;
    this.events = events;
    this.derivativeInputs = derivativeInputs;
    this.sidecars = sidecars;
    this.steps = steps;
    this.metrics = metrics;
  }

  /**
   * An object stored, its event not yet acknowledged: its key stays held ({@code hold}) until the
   * event is acknowledged or the object removed; {@code result} completes then.
   */
  static final class Pending {
    final InstanceStored event;
    final ParsedHeader header;
    final IngestSource source;
    final String key;
    final long size;
    final CompletableFuture<StoreResult> result = new CompletableFuture<>();
    private StoreAdmission.KeyHold hold;

    private Pending(
        InstanceStored event, ParsedHeader header, IngestSource source, String key, long size) {
      this.event = event;
      this.header = header;
      this.source = source;
      this.key = key;
      this.size = size;
    }

    Pending heldBy(StoreAdmission.KeyHold hold) {
      this.hold = hold;
      return this;
    }

    /** See {@link StoreAdmission.KeyHold#heldBackUntil}. */
    boolean heldBackUntil(Runnable publish) {
      return hold != null && hold.heldBackUntil(publish);
    }
  }

  /** The event of the object stored at {@code key}, ready to publish. */
  Pending prepare(
      ParsedHeader header,
      byte[] tail,
      IngestSource source,
      String eventId,
      String key,
      long size,
      String digest,
      int version) {
    InstanceStored event = events.event(header, source, eventId, key, size, digest, version);
    // STOW-RS requests and DIMSE releases wait for the index (read-your-writes, ADR 0010);
    // registered before publishing, so the acknowledgement cannot be missed.
    indexAcks.expect(eventId);
    if (derivativeInputs.headerStandsForObject(header, tail, size)) {
      // The derivatives writer needs nothing else (ADR 0015): no read-back of the object. Kept
      // before publishing: this process's consumer may see the event before send() returns.
      PreparedHeaders.Prepared prepared =
          preparedHeaders.offer(
              eventId, header.headerBytes(), derivativeInputs.keptFrom(header), tail, size);
      // The sidecar's bytes, for the index to serve series metadata from (ADR 0045), made once:
      // kept for the derivatives writer too.
      long metadataStart = System.nanoTime();
      SidecarJson.Made sidecar = sidecars.fromHeader(event, prepared);
      if (sidecar != null) {
        event = event.withCompressedMetadata(MetadataCompression.compressForEvent(sidecar.json()));
        preparedHeaders.attach(eventId, sidecar);
      }
      steps.record("metadata-json", System.nanoTime() - metadataStart);
    }
    return new Pending(event, header, source, key, size);
  }

  /**
   * Sends every event of {@code batch}, then waits for each acknowledgement (all within one publish
   * timeout), completing each store's result and giving its key back. Never throws: every store of
   * the batch gets its outcome.
   */
  void publishAll(List<Pending> batch) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      try {
        records.add(publisher.encode(p.event));
      } catch (RuntimeException e) {
        records.add(null); // cannot happen for an event we made; failed below all the same
      }
    }
    // Encoded first, sent in one go: the records land in the producer's batch within microseconds,
    // so even linger.ms=1 sends them in one produce request.
    long start = System.nanoTime();
    long deadline = publisher.deadlineFromNow();
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    for (ProducerRecord<String, byte[]> record : records) {
      acks.add(
          record == null
              ? CompletableFuture.failedFuture(new IllegalStateException("event not encodable"))
              : publisher.send(record));
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      StoreResult result;
      try {
        publisher.await(acks.get(i), deadline);
        steps.record("kafka-publish", System.nanoTime() - start);
        metrics
            .counter("strata.ingest.bytes", "channel", p.source.channel().name())
            .increment(p.size);
        LOG.debugf("stored %s as %s", p.header.sopInstanceUid(), p.key);
        result = StoreResult.stored(p.header, false, p.event.eventId());
      } catch (PublishException | RuntimeException e) {
        result = undo(p, e.getMessage());
      } finally {
        // After the undo: a duplicate waiting for the key must find the object gone.
        if (p.hold != null) {
          p.hold.release();
        }
      }
      p.result.complete(result);
    }
  }

  /** Publishes one event now (C-STORE: one instance per answer). */
  StoreResult publishNow(Pending p) {
    publishAll(List.of(p));
    return p.result.join();
  }

  private StoreResult undo(Pending p, String why) {
    String eventId = p.event.eventId();
    preparedHeaders.remove(eventId);
    indexAcks.forget(eventId);
    LOG.warnf("event not acknowledged by Kafka (%s); removing the object", why);
    try {
      store.delete(p.key);
    } catch (StorageException deleteFailed) {
      // The object stays without an event; the reconciler (ADR 0005) publishes or removes it.
      metrics.counter("strata.ingest.orphans").increment();
      LOG.warnf("object left without event (eventId %s): %s", eventId, deleteFailed.getMessage());
    }
    return StoreResult.failed(
        p.header, FailureReason.OUT_OF_RESOURCES, "event log unavailable, retry later");
  }
}
