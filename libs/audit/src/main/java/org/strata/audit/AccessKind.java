package org.strata.audit;

import org.strata.events.AuditRecord.Action;
import org.strata.http.auth.CallerIdentity;

/**
 * The kinds of access to patient data an endpoint performs, each one {@link AuditEntry} factory.
 */
public enum AccessKind {
  STORE,
  QUERY,
  READ,
  EXPORT,
  DELETE,
  PATIENT_RECORD,
  REBUILD,
  /** The audit trail itself read (verification, export, search, report): DICOM Audit Log Used. */
  AUDIT_LOG_USED;

  /** A new entry of this kind. */
  public AuditEntry entry(CallerIdentity caller, String channel) {
    return switch (this) {
      case STORE -> AuditEntry.store(caller, channel);
      case QUERY -> AuditEntry.query(caller, channel);
      case READ -> AuditEntry.read(caller, channel);
      case EXPORT -> AuditEntry.export(caller, channel);
      case DELETE -> AuditEntry.delete(caller, channel);
      case PATIENT_RECORD -> AuditEntry.patientRecord(caller, channel, Action.U);
      case REBUILD -> AuditEntry.rebuild(caller, channel);
      case AUDIT_LOG_USED -> AuditEntry.auditLogUsed(caller, channel);
    };
  }
}
