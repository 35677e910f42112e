package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.InstanceStored;
import org.strata.index.service.InstanceIndexer;

/**
 * Consumes {@code strata.instance.stored}, one record at a time per partition, so one study's
 * events apply in order. The record is acknowledged (and its offset later committed) only when the
 * index transaction committed and the follow-up events were acknowledged by Kafka. A record that
 * cannot be decoded or applied goes to {@code strata.index.dead-letter} with the reason in its
 * headers, and the consumer carries on.
 */
@ApplicationScoped
public class InstanceStoredConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceStoredConsumer.class);

  private final InstanceIndexer indexer;
  private final IndexEventPublisher publisher;

  public InstanceStoredConsumer(InstanceIndexer indexer, IndexEventPublisher publisher) {
    this.indexer = indexer;
    this.publisher = publisher;
  }

  @Incoming("instance-stored")
  public Uni<Void> consume(byte[] payload) {
    InstanceStored event;
    try {
      event = EventCodec.decode(payload, InstanceStored.class);
    } catch (EventFormatException e) {
      LOG.warnf("undecodable record (%s); it goes to the dead-letter topic", e.reason());
      return Uni.createFrom().failure(e);
    }
    return indexer
        .index(event)
        .chain(result -> publisher.publish(event, result))
        .onFailure()
        .invoke(
            // Error messages of the database can quote values (PHI): only at debug level.
            failure -> {
              LOG.warnf(
                  "event %s not indexed (%s); it goes to the dead-letter topic",
                  event.eventId(), failure.getClass().getName());
              LOG.debugf(failure, "event %s not indexed", event.eventId());
            });
  }
}
