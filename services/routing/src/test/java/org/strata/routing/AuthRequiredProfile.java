package org.strata.routing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Production's security: strata.auth.mode=required, tokens validated against the platform's
 * Keycloak; its own rules file beside {@link RoutingTestProfile}'s.
 */
public class AuthRequiredProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(new RoutingTestProfile().getConfigOverrides());
    config.put(
        "strata.routing.rules-file",
        RoutingTestProfile.DIR.resolve("routing-rules-auth.yaml").toString());
    config.put("%test.strata.auth.mode", "required");
    config.put("%test.quarkus.oidc.tenant-enabled", "true");
    return config;
  }
}
