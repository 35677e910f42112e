package org.strata.routing.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.strata.routing.messaging.InstanceStoredConsumer;
import org.strata.routing.messaging.QueueConsumer;

/** Ready once both consumers have their partitions: stored instances are seen, jobs are run. */
@Readiness
@ApplicationScoped
public class ConsumersReady implements HealthCheck {
  private final InstanceStoredConsumer stored;
  private final QueueConsumer queue;

  ConsumersReady(InstanceStoredConsumer stored, QueueConsumer queue) {
    this.stored = stored;
    this.queue = queue;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("routing-consumers")
        .status(stored.assigned() && queue.assigned())
        .withData("instance-stored", stored.assigned())
        .withData("queues", queue.assigned())
        .build();
  }
}
