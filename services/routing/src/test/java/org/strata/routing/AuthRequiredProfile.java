package org.strata.routing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Production's security: strata.auth.mode=required, tokens validated against the platform's
 * Keycloak.
 */
public class AuthRequiredProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "%test.strata.auth.mode", "required", "%test.quarkus.oidc.tenant-enabled", "true");
  }
}
