package org.strata.query.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.List;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.RefusalAlerts;
import org.strata.dicom.Attributes;
import org.strata.dicom.json.DicomJsonWriter;
import org.strata.dicom.net.DimseException;
import org.strata.dicom.net.QueryRequest;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.http.auth.CallerIdentity;
import org.strata.query.qido.QidoService;

/**
 * The audit records of the Q/R SCP: a C-FIND is recorded with its identifier (as DICOM JSON) when
 * it is accepted, a C-MOVE or C-GET with the studies and SOP classes it is about to send (and the
 * move destination), both before any data goes out; a full spool fails the request with A700 (out
 * of resources, ADR 0035). Refused associations are Security Alerts, at most one per host and
 * calling AE within the alert window.
 */
@ApplicationScoped
public class DimseAudit {
  /** Refused: Out of Resources (PS3.4 C.4.1.1.4). */
  static final int OUT_OF_RESOURCES = 0xA700;

  private final AuditLog log;
  private final RefusalAlerts alerts;

  DimseAudit(AuditLog log, RefusalAlerts alerts) {
    this.log = log;
    this.alerts = alerts;
  }

  /** The most patients one C-FIND record names; more are counted in its detail. */
  static final int NAMED_PATIENTS = 1000;

  /**
   * Recorded once per C-FIND, before the first response: the studies of the first page of matches
   * (up to {@code QueryRetrieveServer.PAGE_SIZE}), which are read already, and the patients of
   * every page: those of the first page or, when more pages follow, {@code allPatients}, the
   * distinct patients of the whole answer (up to {@link #NAMED_PATIENTS}, the detail says how many
   * there are and how many are named).
   *
   * @param allPatients null when the first page is the whole answer
   */
  void find(
      QueryRequest rq,
      String tenant,
      Attributes keys,
      List<QidoService.Match> firstPage,
      QidoService.Patients allPatients)
      throws DimseException {
    AuditEntry entry =
        AuditEntry.query(caller(rq, tenant), Channels.C_FIND)
            .tenant(tenant)
            .query(DicomJsonWriter.toJson(keys));
    for (QidoService.Match m : firstPage) {
      entry.study(m.studyUid());
      if (allPatients == null && m.patient() != null) {
        entry.patient(m.patient().id(), m.patient().issuer());
      }
    }
    if (allPatients != null) {
      allPatients.named().forEach(p -> entry.patient(p.id(), p.issuer()));
      entry.detail(
          "more than one page: "
              + allPatients.total()
              + " patients matched, "
              + allPatients.named().size()
              + " named");
    }
    keep(entry);
  }

  void retrieve(QueryRequest rq, String tenant, List<RetrieveLocator.Located> found)
      throws DimseException {
    boolean move = rq.moveDestination() != null;
    AuditEntry entry =
        AuditEntry.read(caller(rq, tenant), move ? Channels.C_MOVE : Channels.C_GET).tenant(tenant);
    if (move) {
      entry.destination(rq.moveDestination(), null);
    }
    for (RetrieveLocator.Located i : found) {
      entry.instances(i.studyUid(), i.sopClassUid(), 1).patient(i.patientId(), i.issuer());
    }
    if (found.isEmpty()) {
      entry.outcome(Outcome.MINOR_FAILURE, "no matching instances");
    }
    keep(entry);
  }

  void refused(String callingAe, InetSocketAddress remote) {
    alerts.associationRefused(
        callingAe,
        remote == null ? null : remote.getAddress().getHostAddress(),
        Channels.C_FIND,
        "calling AE title not known");
  }

  private void keep(AuditEntry entry) throws DimseException {
    try {
      log.record(entry);
    } catch (AuditUnavailableException e) {
      throw new DimseException(OUT_OF_RESOURCES, AuditUnavailableException.REASON);
    }
  }

  private static CallerIdentity caller(QueryRequest rq, String tenant) {
    InetSocketAddress remote = rq.association().remoteAddress();
    return CallerIdentity.dimse(
        rq.callingAE(), remote == null ? null : remote.getAddress().getHostAddress(), tenant);
  }
}
