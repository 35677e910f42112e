package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.strata.events.EventCodec;
import org.strata.events.InstanceDeleted;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.StrataEvent;
import org.strata.events.StudyUpdated;
import org.strata.index.repository.IndexRepository.StudyAggregates;
import org.strata.index.service.IndexResult;

/**
 * Publishes InstanceIndexed and StudyUpdated after the index transaction committed, and waits for
 * Kafka's acknowledgement. Their event ids derive from the InstanceStored event id, so when a crash
 * between commit and offset commit makes us index (as a no-op) and publish again, consumers see the
 * same ids and drop the repeat.
 */
@ApplicationScoped
public class IndexEventPublisher {
  private final MutinyEmitter<byte[]> indexed;
  private final MutinyEmitter<byte[]> studyUpdated;
  private final MutinyEmitter<byte[]> deletions;

  public IndexEventPublisher(
      @Channel("instance-indexed") MutinyEmitter<byte[]> indexed,
      @Channel("study-updated") MutinyEmitter<byte[]> studyUpdated,
      @Channel("deletion-requests") MutinyEmitter<byte[]> deletions) {
    this.indexed = indexed;
    this.studyUpdated = studyUpdated;
    this.deletions = deletions;
  }

  /** A deletion request from the admin API, acknowledged by Kafka before the API answers. */
  public Uni<Void> publishDeletion(InstanceDeleted event) {
    return send(deletions, event);
  }

  /** The study's state after a deletion was applied. */
  public Uni<Void> publishStudyUpdate(InstanceDeleted deletion, StudyAggregates aggregates) {
    return send(
        studyUpdated,
        new StudyUpdated(
            UUID.nameUUIDFromBytes(
                    ("study-updated:" + deletion.eventId()).getBytes(StandardCharsets.UTF_8))
                .toString(),
            Instant.now(),
            deletion.tenant(),
            deletion.studyInstanceUid(),
            aggregates.numberOfSeries(),
            aggregates.numberOfInstances(),
            aggregates.modalities()));
  }

  public Uni<Void> publish(InstanceStored stored, IndexResult result) {
    Instant now = Instant.now();
    InstanceIndexed instanceIndexed =
        new InstanceIndexed(
            derivedId("indexed", stored),
            now,
            stored.tenant(),
            stored.studyInstanceUid(),
            stored.seriesInstanceUid(),
            stored.sopInstanceUid(),
            stored.eventId());
    StudyUpdated study =
        new StudyUpdated(
            derivedId("study-updated", stored),
            now,
            stored.tenant(),
            stored.studyInstanceUid(),
            result.study().numberOfSeries(),
            result.study().numberOfInstances(),
            result.study().modalities());
    return send(indexed, instanceIndexed).chain(() -> send(studyUpdated, study));
  }

  private static Uni<Void> send(MutinyEmitter<byte[]> emitter, StrataEvent event) {
    return Uni.createFrom()
        .emitter(
            e ->
                emitter.sendMessageAndForget(
                    Message.of(EventCodec.encode(event))
                        .addMetadata(
                            OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(event.key())
                                .build())
                        .withAck(
                            () -> {
                              e.complete(null);
                              return java.util.concurrent.CompletableFuture.completedFuture(null);
                            })
                        .withNack(
                            failure -> {
                              e.fail(failure);
                              return java.util.concurrent.CompletableFuture.completedFuture(null);
                            })));
  }

  private static String derivedId(String kind, InstanceStored stored) {
    return UUID.nameUUIDFromBytes((kind + ":" + stored.eventId()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
