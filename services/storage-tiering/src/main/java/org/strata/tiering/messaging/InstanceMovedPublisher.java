package org.strata.tiering.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.strata.events.EventCodec;
import org.strata.events.InstanceMoved;

/** Publishes InstanceMoved (keyed by study) and returns once Kafka acknowledged it (acks=all). */
@ApplicationScoped
public class InstanceMovedPublisher {
  private static final Duration ACK_WAIT = Duration.ofMinutes(1);

  private final MutinyEmitter<byte[]> moved;

  public InstanceMovedPublisher(@Channel("instance-moved") MutinyEmitter<byte[]> moved) {
    this.moved = moved;
  }

  /** Blocks the calling worker thread until the broker acknowledged the event. */
  public void publish(InstanceMoved event) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    moved.sendMessageAndForget(
        Message.of(EventCodec.encode(event))
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build())
            .withAck(
                () -> {
                  acked.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  acked.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                }));
    try {
      acked.get(ACK_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for Kafka", e);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka did not acknowledge the move", e);
    }
  }
}
