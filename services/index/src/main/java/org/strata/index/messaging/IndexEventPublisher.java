package org.strata.index.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.strata.events.EventCodec;
import org.strata.events.InstanceDeleted;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.PatientLinksChanged;
import org.strata.events.StrataEvent;
import org.strata.events.StudyUpdated;
import org.strata.events.Topic;
import org.strata.events.Topics;
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
  private final FollowUpProducer followUps;
  private final MutinyEmitter<byte[]> deletions;
  private final MutinyEmitter<byte[]> patientLinks;

  public IndexEventPublisher(
      FollowUpProducer followUps,
      @Channel("deletion-requests") MutinyEmitter<byte[]> deletions,
      @Channel("patient-links") MutinyEmitter<byte[]> patientLinks) {
    this.followUps = followUps;
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
    StudyUpdated update =
        new StudyUpdated(
            UUID.nameUUIDFromBytes(
                    ("study-updated:" + deletion.eventId()).getBytes(StandardCharsets.UTF_8))
                .toString(),
            Instant.now(),
            deletion.tenant(),
            deletion.studyInstanceUid(),
            aggregates.numberOfSeries(),
            aggregates.numberOfInstances(),
            aggregates.modalities());
    // On a worker: the producer may wait for Kafka's metadata, which an event loop must not.
    return followUps
        .send(List.of(record(Topics.STUDY_UPDATED, update)))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /**
   * InstanceIndexed for every event of a committed batch, and one StudyUpdated per study it touched
   * (the study's state after the batch, its id derived from the last event of that study in the
   * batch); all sent at once, then waited for (the Uni completes when Kafka acknowledged all).
   */
  public Uni<Void> publish(BatchResult batch) {
    Instant now = Instant.now();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (BatchResult.Applied a : batch.applied()) {
      InstanceStored stored = a.event();
      records.add(
          record(
              Topics.INSTANCE_INDEXED,
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
      records.add(
          record(
              Topics.STUDY_UPDATED,
              new StudyUpdated(
                  derivedId("study-updated", e.getValue().lastEvent()),
                  now,
                  e.getKey().tenant(),
                  e.getKey().studyUid(),
                  aggregates.numberOfSeries(),
                  aggregates.numberOfInstances(),
                  aggregates.modalities())));
    }
    return followUps.send(records);
  }

  private static ProducerRecord<String, byte[]> record(Topic topic, StrataEvent event) {
    return new ProducerRecord<>(topic.name(), event.key(), EventCodec.encode(event));
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
