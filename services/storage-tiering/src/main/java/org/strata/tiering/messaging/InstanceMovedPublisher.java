package org.strata.tiering.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.strata.events.EventCodec;
import org.strata.events.InstanceMoved;

/** Publishes InstanceMoved (keyed by study) and returns once Kafka acknowledged it (acks=all). */
@ApplicationScoped
public class InstanceMovedPublisher {
  private final MutinyEmitter<byte[]> moved;

  public InstanceMovedPublisher(@Channel("instance-moved") MutinyEmitter<byte[]> moved) {
    this.moved = moved;
  }

  /** Blocks the calling worker thread until the broker acknowledged the event. */
  public void publish(InstanceMoved event) {
    AckedSend.send(moved, event.key(), EventCodec.encode(event), "move");
  }
}
