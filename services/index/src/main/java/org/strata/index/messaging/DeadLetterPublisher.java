package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a record that cannot be applied to {@code strata.index.dead-letter}, as received (key and
 * value), with where it came from and why in its headers: {@code dead-letter-reason}, {@code
 * dead-letter-topic}, {@code dead-letter-partition}, {@code dead-letter-offset}. The reason never
 * quotes the payload (PHI).
 */
@ApplicationScoped
public class DeadLetterPublisher {
  private final MutinyEmitter<byte[]> deadLetters;

  public DeadLetterPublisher(
      @Channel("index-dead-letter")
          @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<byte[]> deadLetters) {
    this.deadLetters = deadLetters;
  }

  public Uni<Void> send(ConsumerRecord<String, byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("dead-letter-reason", bytes(reason));
    headers.add("dead-letter-topic", bytes(record.topic()));
    headers.add("dead-letter-partition", bytes(Integer.toString(record.partition())));
    headers.add("dead-letter-offset", bytes(Long.toString(record.offset())));
    return Uni.createFrom()
        .emitter(
            e ->
                deadLetters.sendMessageAndForget(
                    Message.of(record.value() == null ? new byte[0] : record.value())
                        .addMetadata(
                            OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(record.key())
                                .withHeaders(headers)
                                .build())
                        .withAck(
                            () -> {
                              e.complete(null);
                              return CompletableFuture.completedFuture(null);
                            })
                        .withNack(
                            failure -> {
                              e.fail(failure);
                              return CompletableFuture.completedFuture(null);
                            })));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
