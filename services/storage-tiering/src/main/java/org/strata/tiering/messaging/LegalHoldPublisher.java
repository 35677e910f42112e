package org.strata.tiering.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.strata.events.EventCodec;
import org.strata.events.LegalHoldChanged;

/**
 * Publishes a hold's state after each change on the compacted {@code strata.legal.holds}, keyed by
 * hold: index keeps it in its own table and refuses to delete a held study (ADR 0043). Returns once
 * Kafka acknowledged it (acks=all).
 */
@ApplicationScoped
public class LegalHoldPublisher {
  private final MutinyEmitter<byte[]> holds;

  public LegalHoldPublisher(@Channel("legal-holds") MutinyEmitter<byte[]> holds) {
    this.holds = holds;
  }

  /** Blocks the calling worker thread until the broker acknowledged the event. */
  public void publish(LegalHoldChanged event) {
    AckedSend.send(holds, event.key(), EventCodec.encode(event), "legal hold");
  }
}
