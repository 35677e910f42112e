package org.strata.servicekit.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.http.auth.AuthMode;

/** Stops the service's start when the production profile is configured for anonymous access. */
@ApplicationScoped
public class AuthModeGuard {
  void check(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.application.name") String service,
      @ConfigProperty(name = "strata.auth.mode", defaultValue = "required") String mode,
      @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true")
          boolean oidcEnabled) {
    String profile = ConfigUtils.getProfiles().contains("prod") ? "prod" : "non-prod";
    try {
      AuthMode.parse(mode).checkAllowedIn(profile, oidcEnabled);
    } catch (IllegalStateException e) {
      // One plain line on stderr besides the start failure Quarkus logs: what an operator (or the
      // kubelet's last-state message) sees first.
      System.err.println(service + " refuses to start: " + e.getMessage());
      throw e;
    }
  }
}
