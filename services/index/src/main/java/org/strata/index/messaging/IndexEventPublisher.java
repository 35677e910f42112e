package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.strata.events.EventCodec;
import org.strata.events.InstanceDeleted;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.PatientLinksChanged;
import org.strata.events.StrataEvent;
import org.strata.events.StudyUpdated;
import org.strata.index.repository.IndexRepository.StudyAggregates;
import org.strata.index.service.BatchResult;

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
  private final MutinyEmitter<byte[]> patientLinks;

  public IndexEventPublisher(
      // A batch sends up to strata.index.consumer.max-batch events of each at once.
      @Channel("instance-indexed")
          @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<byte[]> indexed,
      @Channel("study-updated") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<byte[]> studyUpdated,
      @Channel("deletion-requests") MutinyEmitter<byte[]> deletions,
      @Channel("patient-links") MutinyEmitter<byte[]> patientLinks) {
    this.indexed = indexed;
    this.studyUpdated = studyUpdated;
    this.deletions = deletions;
    this.patientLinks = patientLinks;
  }

  /** A committed change of a patient link, keyed by link id; acknowledged by Kafka. */
  public Uni<Void> publishLinkChange(PatientLinksChanged event) {
    return send(patientLinks, event);
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

  /**
   * InstanceIndexed for every event of a committed batch, and one StudyUpdated per study it touched
   * (the study's state after the batch, its id derived from the last event of that study in the
   * batch); all sent at once, then waited for.
   */
  public Uni<Void> publish(BatchResult batch) {
    Instant now = Instant.now();
    List<Uni<Void>> sends = new ArrayList<>();
    for (BatchResult.Applied a : batch.applied()) {
      InstanceStored stored = a.event();
      sends.add(
          send(
              indexed,
              new InstanceIndexed(
                  derivedId("indexed", stored),
                  now,
                  stored.tenant(),
                  stored.studyInstanceUid(),
                  stored.seriesInstanceUid(),
                  stored.sopInstanceUid(),
                  stored.eventId())));
    }
    for (Map.Entry<BatchResult.StudyKey, BatchResult.StudyState> e : batch.studies().entrySet()) {
      StudyAggregates aggregates = e.getValue().aggregates();
      sends.add(
          send(
              studyUpdated,
              new StudyUpdated(
                  derivedId("study-updated", e.getValue().lastEvent()),
                  now,
                  e.getKey().tenant(),
                  e.getKey().studyUid(),
                  aggregates.numberOfSeries(),
                  aggregates.numberOfInstances(),
                  aggregates.modalities())));
    }
    return sends.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(sends).andFailFast().replaceWithVoid();
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
