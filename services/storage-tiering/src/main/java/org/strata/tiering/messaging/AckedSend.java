package org.strata.tiering.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends one keyed record and blocks until Kafka acknowledged it (acks=all) or refused it. */
final class AckedSend {
  private static final Duration ACK_WAIT = Duration.ofMinutes(1);

  private AckedSend() {}

  static void send(MutinyEmitter<byte[]> emitter, String key, byte[] payload, String what) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    emitter.sendMessageAndForget(
        Message.of(payload)
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
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
      acked.get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for Kafka", e);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka did not acknowledge the " + what, e);
    }
  }
}
