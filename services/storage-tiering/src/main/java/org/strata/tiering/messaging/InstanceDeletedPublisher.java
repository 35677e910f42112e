package org.strata.tiering.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.strata.events.EventCodec;
import org.strata.events.InstanceDeleted;

/**
 * Publishes a retention purge as InstanceDeleted, the contract index's admin deletes use: index
 * (the one writer of its schema) removes the rows; this service's own consumer journals the
 * objects. Returns once Kafka acknowledged it (acks=all).
 */
@ApplicationScoped
public class InstanceDeletedPublisher {
  private final MutinyEmitter<byte[]> deleted;

  public InstanceDeletedPublisher(@Channel("instance-deleted-out") MutinyEmitter<byte[]> deleted) {
    this.deleted = deleted;
  }

  /** Blocks the calling worker thread until the broker acknowledged the event. */
  public void publish(InstanceDeleted event) {
    AckedSend.send(deleted, event.key(), EventCodec.encode(event), "deletion");
  }
}
