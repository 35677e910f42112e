package org.strata.servicekit.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.strata.audit.AuditLog;

/**
 * DOWN while the local audit spool is near full (ADR 0035): a full spool refuses accesses, so the
 * instance stops taking traffic before it has to, and operators see Kafka's absence coming.
 */
@Readiness
@ApplicationScoped
public class AuditSpoolReadiness implements HealthCheck {
  private final AuditLog log;

  public AuditSpoolReadiness(AuditLog log) {
    this.log = log;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("audit spool")
        .status(!log.nearFull())
        .withData("pendingRecords", log.pendingRecords())
        .withData("pendingBytes", log.pendingBytes())
        .withData("maxBytes", log.maxSpoolBytes())
        .build();
  }
}
