package org.strata.tiering.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.StudyUpdated;
import org.strata.tiering.service.IndexedStudyEvaluation;

/**
 * Index's {@code strata.study.updated}: published after index committed a batch, once per study of
 * it, so the study's rows are there when its policies are evaluated (InstanceStored comes before
 * index has the rows; InstanceIndexed is one per instance). A study left without instances (a
 * deletion) is not evaluated.
 */
@ApplicationScoped
public class StudyUpdatedConsumer {
  private static final Logger LOG = Logger.getLogger(StudyUpdatedConsumer.class);

  private final IndexedStudyEvaluation evaluation;

  public StudyUpdatedConsumer(IndexedStudyEvaluation evaluation) {
    this.evaluation = evaluation;
  }

  @Incoming("study-updated")
  @Blocking
  public void consume(byte[] payload) {
    StudyUpdated event;
    try {
      event = EventCodec.decode(payload, StudyUpdated.class);
    } catch (EventFormatException e) {
      // A newer or broken event: the schedule evaluates the study anyway.
      LOG.debugf("study update not evaluated (%s)", e.reason());
      return;
    }
    if (event.numberOfInstances() > 0) {
      evaluation.indexed(event.tenant(), event.studyInstanceUid());
    }
  }
}
