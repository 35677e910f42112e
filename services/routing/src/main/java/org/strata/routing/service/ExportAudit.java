package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Outcome;
import org.strata.events.RoutingJob;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.Roles;
import org.strata.routing.dimse.KnownAeDirectory;
import org.strata.routing.service.RulesDocument.Destination;

/**
 * The audit trail of exports (DICOM audit "Export", PS3.15 A.5.3.6): one record per job once it
 * ends (sent, dead or cancelled), so one per study per job however many attempts and instances it
 * took, with the destination (AE title and address, or STOW-RS URL), the study and its delivered
 * instances per SOP class, the patient where the job knows it, and the outcome. The requester is
 * routing itself for a rule's job, the admin who asked for a manual export otherwise.
 */
@ApplicationScoped
public class ExportAudit {
  private static final Logger LOG = Logger.getLogger(ExportAudit.class);

  private final AuditLog log;
  private final KnownAeDirectory knownAes;

  ExportAudit(AuditLog log, KnownAeDirectory knownAes) {
    this.log = log;
    this.knownAes = knownAes;
  }

  /** Whether a job's record would be kept now: a job is not started when it would not be. */
  public boolean hasRoom() {
    return log.hasRoom();
  }

  /** Every instance of {@code job} reached {@code destination}, {@code sentNow} in its last try. */
  public void sent(RoutingJob job, Destination destination, int sentNow) {
    record(job, destination, job.deliveredWith(sentNow), Outcome.SUCCESS, null);
  }

  /** {@code job} was given up: {@code last} is its dead letter (what it delivered, the reason). */
  public void gaveUp(RoutingJob last, Destination destination, String reason) {
    record(last, destination, last.deliveredWith(0), Outcome.SERIOUS_FAILURE, reason);
  }

  /** {@code job} was cancelled by an operator after delivering {@code sentNow} in its last try. */
  public void cancelled(RoutingJob job, Destination destination, int sentNow) {
    record(job, destination, job.deliveredWith(sentNow), Outcome.MINOR_FAILURE, "cancelled");
  }

  private void record(
      RoutingJob job,
      Destination destination,
      List<AuditRecord.SopClassCount> delivered,
      Outcome outcome,
      String reason) {
    AuditEntry entry =
        AuditEntry.export(requester(job), AuditRecord.Channels.ROUTING)
            .tenant(job.tenant())
            .study(job.studyInstanceUid())
            .patient(job.patientId(), job.issuerOfPatientId())
            .outcome(outcome, reason)
            .detail(
                (job.ruleId() == null
                        ? "manual export, job " + job.jobId()
                        : "rule " + job.ruleId() + ", job " + job.jobId())
                    + deidentified(job));
    delivered.forEach(c -> entry.instances(job.studyInstanceUid(), c.sopClassUid(), c.count()));
    describe(entry, job.destination(), destination);
    try {
      log.record(entry);
    } catch (AuditUnavailableException e) {
      // The export has happened and cannot be undone; jobs are not started while the spool is
      // full (hasRoom), so this is the rare race of several jobs ending at once.
      LOG.errorf("export audit record of job %s not kept: %s", job.jobId(), e.getMessage());
    }
  }

  private CallerIdentity requester(RoutingJob job) {
    return job.requestedBy() == null
        ? log.serviceIdentity()
        : new CallerIdentity(
            job.requestedBy(), Set.of(Roles.ADMIN), Set.of(job.tenant()), null, null);
  }

  private void describe(AuditEntry entry, String name, Destination d) {
    if (d == null) {
      entry.destination(name, null);
    } else if (d.stow() != null) {
      entry.destinationUrl(d.stow().url(), hostOf(d.stow().url()));
    } else {
      entry.destination(d.dimse().aeTitle(), addressOf(d.dimse()));
    }
  }

  private String addressOf(RulesDocument.Dimse dimse) {
    if (dimse.host() != null) {
      return dimse.host() + (dimse.port() == null ? "" : ":" + dimse.port());
    }
    try {
      var ae = knownAes.find(dimse.aeTitle());
      return ae == null ? null : ae.host() + ":" + ae.port();
    } catch (IOException e) {
      return null;
    }
  }

  private static String hostOf(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** What the receiver got: the export of a de-identified study is said to be one. */
  private static String deidentified(RoutingJob job) {
    if (job.deidentify() == null) {
      return "";
    }
    return ", de-identified (PS3.15 Basic Profile"
        + (job.deidentify().isEmpty() ? "" : " with " + String.join(", ", job.deidentify()))
        + ")";
  }
}
