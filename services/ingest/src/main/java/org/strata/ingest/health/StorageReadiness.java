package org.strata.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.strata.storage.ObjectStore;

/**
 * Not ready without object storage: every store would fail. Kafka has its own check ({@link
 * KafkaReadiness}).
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
  private final ObjectStore store;

  public StorageReadiness(ObjectStore store) {
    this.store = store;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("object storage")
        .status(store.isReachable())
        .withData("bucket", store.bucket())
        .build();
  }
}
