package org.strata.query;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** make run's security: strata.auth.mode=local, and tokens validated against real Keycloak. */
public class LocalModeWithKeycloakProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("%test.strata.auth.mode", "local", "%test.quarkus.oidc.tenant-enabled", "true");
  }
}
