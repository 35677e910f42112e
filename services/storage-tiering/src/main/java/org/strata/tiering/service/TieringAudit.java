package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.CallerIdentity;

/**
 * The audit records of this service (libs/audit, docs/audit.md): one per study and source tier a
 * move request plans, one per legal hold placed or lifted, one DICOM Study Deleted per retention
 * purge. Each is on disk before the caller goes on; a full spool refuses (ADR 0035).
 */
@ApplicationScoped
public class TieringAudit {
  private final AuditLog log;

  public TieringAudit(AuditLog log) {
    this.log = log;
  }

  /** Who background work (policies, retention) acts as. */
  public CallerIdentity service() {
    return log.serviceIdentity();
  }

  /** Moves planned for one study: instances by the tier they leave, all to {@code to}. */
  public void moves(
      CallerIdentity caller,
      String channel,
      String tenant,
      String study,
      Map<String, Integer> byFromTier,
      String to) {
    byFromTier.forEach(
        (from, count) ->
            log.record(
                AuditEntry.tierMove(caller, channel, from, to)
                    .tenant(tenant)
                    .study(study)
                    .detail("tier move from " + from + " to " + to + ": " + count + " instances")));
  }

  /** A lifecycle policy added, changed, enabled or disabled: its tenant, name and new version. */
  public void policyChanged(CallerIdentity caller, LifecyclePolicy p) {
    log.record(
        AuditEntry.configurationChanged(
                caller,
                Channels.ADMIN_API,
                "lifecycle policy "
                    + p.name()
                    + " version "
                    + p.version()
                    + (p.enabled() ? " (enabled)" : " (disabled)"))
            .tenant(p.tenant()));
  }

  /** A study hold placed or lifted. */
  public void studyHold(
      CallerIdentity caller, String tenant, String study, boolean placed, String reason) {
    log.record(
        AuditEntry.legalHold(caller, Channels.ADMIN_API, placed, reason)
            .tenant(tenant)
            .study(study));
  }

  /** A patient hold placed or lifted ({@code issuer} null: the ID under every issuer). */
  public void patientHold(
      CallerIdentity caller,
      String tenant,
      String patientId,
      String issuer,
      boolean placed,
      String reason) {
    log.record(
        AuditEntry.legalHold(caller, Channels.ADMIN_API, placed, reason)
            .tenant(tenant)
            .patient(patientId, issuer));
  }

  /** A study the retention purge asks index to delete, with its patient when the index has one. */
  public void purge(
      String tenant, String study, String patientId, String issuer, String rule, int instances) {
    log.record(
        AuditEntry.retentionPurge(service(), rule)
            .tenant(tenant)
            .study(study)
            .patient(patientId, issuer)
            .detail("retention purge, rule " + rule + ": " + instances + " instances"));
  }
}
