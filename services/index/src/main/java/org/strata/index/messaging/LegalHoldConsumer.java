package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.LegalHoldChanged;
import org.strata.index.repository.LegalHoldRepository;

/**
 * Keeps the legal holds storage-tiering announces on the compacted {@code strata.legal.holds} in
 * index's {@code legal_hold} (ADR 0043): index's admin deletes refuse a held study. Idempotent, and
 * an older state never replaces a newer one.
 */
@ApplicationScoped
public class LegalHoldConsumer {
  private static final Logger LOG = Logger.getLogger(LegalHoldConsumer.class);

  private final Mutiny.SessionFactory sessions;
  private final LegalHoldRepository holds;

  public LegalHoldConsumer(Mutiny.SessionFactory sessions, LegalHoldRepository holds) {
    this.sessions = sessions;
    this.holds = holds;
  }

  @Incoming("legal-holds")
  public Uni<Void> consume(byte[] payload) {
    LegalHoldChanged event;
    try {
      event = EventCodec.decode(payload, LegalHoldChanged.class);
    } catch (EventFormatException e) {
      LOG.warnf("undecodable legal hold (%s); it goes to the dead-letter topic", e.reason());
      return Uni.createFrom().failure(e);
    }
    return sessions
        .withTransaction(s -> holds.apply(s, event))
        .invoke(
            changed ->
                LOG.debugf(
                    "legal hold %s: %s", event.inForce() ? "in force" : "lifted", event.holdKey()))
        .replaceWithVoid();
  }
}
