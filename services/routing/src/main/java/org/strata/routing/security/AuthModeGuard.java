package org.strata.routing.security;

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
      @ConfigProperty(name = "strata.auth.mode", defaultValue = "required") String mode,
      @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true")
          boolean oidcEnabled) {
    String profile = ConfigUtils.getProfiles().contains("prod") ? "prod" : "non-prod";
    AuthMode.parse(mode).checkAllowedIn(profile, oidcEnabled);
  }
}
