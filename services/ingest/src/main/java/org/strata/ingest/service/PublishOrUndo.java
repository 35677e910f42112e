package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
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

  /** Publishes the event of the object stored at {@code key}, or removes the object. */
  StoreResult publish(
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
      // The same sidecar bytes, for the index to serve series metadata from (ADR 0045).
      long metadataStart = System.nanoTime();
      event = event.withCompressedMetadata(sidecars.compressedFromHeader(event, prepared));
      steps.record("metadata-json", System.nanoTime() - metadataStart);
    }
    try {
      long publishStart = System.nanoTime();
      publisher.publish(event);
      steps.record("kafka-publish", System.nanoTime() - publishStart);
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
}
