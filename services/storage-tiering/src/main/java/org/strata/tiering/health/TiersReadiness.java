package org.strata.tiering.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;

/** Ready when every tier's bucket answers: a move needs both ends. */
@Readiness
@ApplicationScoped
public class TiersReadiness implements HealthCheck {
  private final TieredStorage storage;

  public TiersReadiness(TieredStorage storage) {
    this.storage = storage;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder r = HealthCheckResponse.named("storage tiers").up();
    for (Tier t : storage.tiers().all()) {
      boolean up = storage.store(t).isReachable();
      r.withData(t.name(), up ? "reachable" : "unreachable");
      if (!up) {
        r.down();
      }
    }
    return r.build();
  }
}
