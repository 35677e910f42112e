package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.InstanceMoved;
import org.strata.index.repository.LocationRepository;

/**
 * Applies {@code strata.instance.moved}: storage-tiering verified a copy on another tier, the index
 * (the schema's one writer) switches the instance's location to it when it still points at the
 * source. Idempotent: a replay changes nothing.
 */
@ApplicationScoped
public class InstanceMovedConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceMovedConsumer.class);

  private final Mutiny.SessionFactory sessions;
  private final LocationRepository locations;

  public InstanceMovedConsumer(Mutiny.SessionFactory sessions, LocationRepository locations) {
    this.sessions = sessions;
    this.locations = locations;
  }

  @Incoming("instance-moved")
  public Uni<Void> consume(byte[] payload) {
    InstanceMoved event;
    try {
      event = EventCodec.decode(payload, InstanceMoved.class);
    } catch (EventFormatException e) {
      LOG.warnf("undecodable move (%s); it goes to the dead-letter topic", e.reason());
      return Uni.createFrom().failure(e);
    }
    return sessions
        .withTransaction(s -> locations.switchLocation(s, event))
        .invoke(
            changed ->
                LOG.debugf(
                    "move %s to tier %s: %s",
                    event.moveId(),
                    event.toTier(),
                    changed == 1 ? "switched" : "not the current location, unchanged"))
        .replaceWithVoid();
  }
}
