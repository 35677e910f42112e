package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.InstanceDeleted;
import org.strata.index.service.DeletionService;

/** Applies {@code strata.instance.deleted} to the index, then publishes the study's new state. */
@ApplicationScoped
public class InstanceDeletedConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceDeletedConsumer.class);

  private final DeletionService deletions;
  private final IndexEventPublisher publisher;

  public InstanceDeletedConsumer(DeletionService deletions, IndexEventPublisher publisher) {
    this.deletions = deletions;
    this.publisher = publisher;
  }

  @Incoming("instance-deleted")
  public Uni<Void> consume(byte[] payload) {
    InstanceDeleted event;
    try {
      event = EventCodec.decode(payload, InstanceDeleted.class);
    } catch (EventFormatException e) {
      LOG.warnf("undecodable deletion (%s); it goes to the dead-letter topic", e.reason());
      return Uni.createFrom().failure(e);
    }
    return deletions
        .apply(event)
        .chain(aggregates -> publisher.publishStudyUpdate(event, aggregates));
  }
}
