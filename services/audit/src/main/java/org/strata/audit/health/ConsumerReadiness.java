package org.strata.audit.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.strata.audit.messaging.AuditRecordConsumer;

/** Not ready until the consumer of strata.audit.record has its partitions, or while it fails. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {
  private final AuditRecordConsumer consumer;

  ConsumerReadiness(AuditRecordConsumer consumer) {
    this.consumer = consumer;
  }

  @Override
  public HealthCheckResponse call() {
    String problem = consumer.problem();
    return problem == null
        ? HealthCheckResponse.up("audit-record-consumer")
        : HealthCheckResponse.named("audit-record-consumer")
            .down()
            .withData("reason", problem)
            .build();
  }
}
