package org.strata.tiering;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Production's security: strata.auth.mode=required, tokens validated against the platform's
 * Keycloak; and, as the Helm chart sets it, the lifecycle policies read-only (the deployment's).
 */
public class AuthRequiredProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "%test.strata.auth.mode",
        "required",
        "%test.quarkus.oidc.tenant-enabled",
        "true",
        "%test.strata.tiering.policies.read-only",
        "true");
  }
}
