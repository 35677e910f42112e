package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import org.strata.events.RoutingJob;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.messaging.JobPublisher;
import org.strata.routing.messaging.JobPublisher.PublishException;
import org.strata.routing.repository.IndexedStudies;
import org.strata.routing.repository.JobBoard;

/**
 * Exports asked for through the admin API (a prior for a workstation, a one-off send): the study or
 * series is read from the index, and its jobs go on the same queues as a rule's, with the admin as
 * requester (the Export audit record names them).
 */
@ApplicationScoped
public class ManualExports {
  /** At most this many instances in one export: larger ones are refused, not truncated. */
  public static final int MAX_INSTANCES = 20_000;

  private final IndexedStudies index;
  private final JobPublisher publisher;
  private final JobBoard board;
  private final RoutingConfig config;

  ManualExports(
      IndexedStudies index, JobPublisher publisher, JobBoard board, RoutingConfig config) {
    this.index = index;
    this.publisher = publisher;
    this.board = board;
    this.config = config;
  }

  /**
   * What to send where, checked by the caller (tenant administered, UIDs valid, destination). The
   * instances of the study (or series), or of {@code sopInstanceUids} only when not null.
   */
  public record Request(
      String tenant,
      String studyInstanceUid,
      String seriesInstanceUid,
      List<String> sopInstanceUids,
      String destination,
      RoutingJob.Priority priority,
      String requestedBy) {}

  /** Listed instances the study (or series) does not have: nothing is queued. */
  public static final class NotAllFound extends Exception {
    NotAllFound(int missing, int listed) {
      super(missing + " of the " + listed + " listed instances are not in the study (or series)");
    }
  }

  /** The export is larger than {@link #MAX_INSTANCES}. */
  public static final class TooLarge extends Exception {
    TooLarge() {
      super("more than " + MAX_INSTANCES + " instances: export series by series");
    }
  }

  /**
   * Queues the jobs of {@code request} (several when the study has more than {@code
   * max-instances-per-job} instances); empty when the tenant has no such study or series with a
   * stored instance.
   */
  public List<RoutingJob> export(Request request)
      throws SQLException, PublishException, TooLarge, NotAllFound {
    IndexedStudies.Selection selection =
        index.find(
            request.tenant(),
            request.studyInstanceUid(),
            request.seriesInstanceUid(),
            request.sopInstanceUids(),
            MAX_INSTANCES + 1);
    if (selection.instances().size() > MAX_INSTANCES) {
      throw new TooLarge();
    }
    List<String> listed = request.sopInstanceUids();
    if (listed != null
        && !selection.instances().isEmpty()
        && selection.instances().size() < listed.size()) {
      throw new NotAllFound(listed.size() - selection.instances().size(), listed.size());
    }
    List<RoutingJob> jobs =
        JobFactory.jobs(
            request.tenant(),
            request.studyInstanceUid(),
            request.destination(),
            request.priority(),
            null,
            selection.instances(),
            config.maxInstancesPerJob(),
            new JobFactory.Origin(
                selection.patientId(), selection.issuerOfPatientId(), request.requestedBy()),
            null); // a manual export sends as stored
    for (RoutingJob job : jobs) {
      // status first: the job is listed before the queue may run it (a later state wins)
      board.put(job, JobState.PENDING, 0, null);
      try {
        publisher.enqueue(job);
      } catch (PublishException e) {
        board.mark(job.jobId(), JobState.CANCELLED, 0, 0, "the queue did not accept the job");
        throw e;
      }
    }
    return jobs;
  }
}
