package org.strata.ingest.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.RefusalAlerts;
import org.strata.dicom.net.Association;
import org.strata.dicom.net.AssociationListener;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.CallerIdentity;
import org.strata.ingest.rest.StoreAudit;
import org.strata.ingest.service.StoreResult;

/**
 * The audit records of the storage SCP: one per study per association with its instances per SOP
 * class, written when the association ends (however it ends); each C-STORE is refused (A700, out of
 * resources) while the spool has no room, so nothing is stored that could not be recorded (ADR
 * 0035). Refused associations are Security Alerts, at most one per host and calling AE within the
 * alert window.
 */
@ApplicationScoped
public class AssociationAudit {
  private static final Logger LOG = Logger.getLogger(AssociationAudit.class);

  private final AuditLog log;
  private final RefusalAlerts alerts;
  private final Map<Association, Stored> stored = new ConcurrentHashMap<>();

  private record Stored(CallerIdentity caller, String tenant, List<StoreResult> results) {}

  AssociationAudit(AuditLog log, RefusalAlerts alerts) {
    this.log = log;
    this.alerts = alerts;
  }

  /** Whether a C-STORE may be accepted: its record will fit. */
  boolean hasRoom() {
    return log.hasRoom();
  }

  void stored(Association association, String tenant, StoreResult result) {
    stored
        .computeIfAbsent(
            association,
            a ->
                new Stored(
                    caller(a, tenant),
                    tenant,
                    java.util.Collections.synchronizedList(new ArrayList<>())))
        .results()
        .add(result);
  }

  /** The association ended: its stores are recorded. */
  void ended(Association association) {
    Stored s = stored.remove(association);
    if (s == null) {
      return;
    }
    List<AuditEntry> entries;
    synchronized (s.results()) {
      entries = StoreAudit.perStudy(s.caller(), Channels.C_STORE, s.tenant(), s.results());
    }
    try {
      log.record(entries);
    } catch (AuditUnavailableException e) {
      // Each C-STORE checked for room first; only a spool filled by others since gets here.
      LOG.errorf("audit records of an association's stores could not be kept: %s", e.getMessage());
    }
  }

  /** An association refused because of its calling AE. */
  void refused(String callingAe, InetSocketAddress remote, String reason) {
    alerts.associationRefused(
        callingAe,
        remote == null ? null : remote.getAddress().getHostAddress(),
        Channels.C_STORE,
        reason);
  }

  private static CallerIdentity caller(Association a, String tenant) {
    InetSocketAddress remote = a.remoteAddress();
    return CallerIdentity.dimse(
        a.callingAE(), remote == null ? null : remote.getAddress().getHostAddress(), tenant);
  }

  /** {@code first} for every event, then this audit's end of association. */
  AssociationListener after(AssociationListener first) {
    return first.and(
        new AssociationListener() {
          @Override
          public void ended(Association association) {
            AssociationAudit.this.ended(association);
          }
        });
  }
}
