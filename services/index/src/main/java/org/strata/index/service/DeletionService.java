package org.strata.index.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.strata.events.InstanceDeleted;
import org.strata.index.messaging.IndexEventPublisher;
import org.strata.index.repository.DeletionRepository;
import org.strata.index.repository.IndexRepository;
import org.strata.index.repository.IndexRepository.StudyAggregates;
import org.strata.index.repository.LegalHoldRepository;

/**
 * Deletion requests and their application. A request names what to delete and, from the index,
 * which objects that is; it is published as {@link InstanceDeleted}, which the index (rows) and
 * storage-tiering (objects) then apply, each at its own pace and idempotently.
 */
@ApplicationScoped
public class DeletionService {
  private final Mutiny.SessionFactory sessions;
  private final DeletionRepository repository;
  private final IndexRepository indexRepository;
  private final IndexEventPublisher publisher;
  private final LegalHoldRepository holds;

  public DeletionService(
      Mutiny.SessionFactory sessions,
      DeletionRepository repository,
      IndexRepository indexRepository,
      IndexEventPublisher publisher,
      LegalHoldRepository holds) {
    this.holds = holds;
    this.sessions = sessions;
    this.repository = repository;
    this.indexRepository = indexRepository;
    this.publisher = publisher;
  }

  /** A published deletion and the patient whose study it was (for the audit record). */
  public record Requested(InstanceDeleted event, String patientId, String issuer) {}

  /**
   * Publishes the deletion of what is in scope, or returns null when the index has nothing there.
   * Fails with {@link StudyHeldException} when a legal hold is in force on the study (ADR 0043).
   */
  public Uni<Requested> request(
      String tenant,
      InstanceDeleted.Scope scope,
      String study,
      String series,
      String sop,
      String reason,
      String requestedBy) {
    return sessions
        .withSession(
            s ->
                holds
                    .reasonHolding(s, tenant, study)
                    .chain(
                        held ->
                            repository
                                .objectsOf(s, tenant, study, series, sop)
                                .invoke(
                                    contents -> {
                                      if (held != null) {
                                        // With the patient: the refusal's audit record names it.
                                        throw new StudyHeldException(
                                            held, contents.patientId(), contents.issuer());
                                      }
                                    })))
        .chain(
            contents -> {
              if (contents.isEmpty()) {
                return Uni.createFrom().nullItem();
              }
              InstanceDeleted event =
                  new InstanceDeleted(
                      UUID.randomUUID().toString(),
                      Instant.now(),
                      tenant,
                      scope,
                      study,
                      series,
                      sop,
                      contents.objects(),
                      reason,
                      requestedBy);
              return publisher
                  .publishDeletion(event)
                  .replaceWith(new Requested(event, contents.patientId(), contents.issuer()));
            });
  }

  /** Applies a deletion to the index; the study's aggregates afterwards (zeros if it is gone). */
  public Uni<StudyAggregates> apply(InstanceDeleted event) {
    return sessions.withTransaction(
        s ->
            repository
                .apply(s, event)
                .chain(
                    studyPk ->
                        studyPk == null
                            ? Uni.createFrom().item(StudyAggregates.NONE)
                            : indexRepository.studyAggregates(s, studyPk)));
  }
}
