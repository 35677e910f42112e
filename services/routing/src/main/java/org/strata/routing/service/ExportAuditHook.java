package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.events.RoutingJob;

/**
 * Where routing tells the audit trail about an export: called once per attempt that delivered
 * instances (DICOM audit "DICOM Instances Transferred", PS3.15 A.5.3.5) and once per job that was
 * given up. Today it does nothing: the audit library (its own work item) will emit an {@code
 * AuditRecord} on {@code strata.audit.record} from here, with the destination as the receiving
 * party and the study UID as the participant object.
 */
@ApplicationScoped
public class ExportAuditHook {

  /** {@code sent} instances of {@code job} reached {@code destination}. */
  public void delivered(RoutingJob job, int sent) {}

  /** {@code job} was given up with {@code reason}. */
  public void gaveUp(RoutingJob job, String reason) {}
}
