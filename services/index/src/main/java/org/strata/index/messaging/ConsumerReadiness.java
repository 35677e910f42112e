package org.strata.index.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the InstanceStored consumer is down or a partition is stopped (ADR 0007). */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {
  private final StoppedPartitions state;

  public ConsumerReadiness(StoppedPartitions state) {
    this.state = state;
  }

  @Override
  public HealthCheckResponse call() {
    return state.health();
  }
}
