package org.strata.audit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The one profile of every audit test (one application start): production's security
 * (strata.auth.mode=required, tokens validated against the platform's Keycloak), since the audit
 * API is the auditor's and the tests call it with real tokens.
 */
public class AuditTestProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "%test.strata.auth.mode", "required", "%test.quarkus.oidc.tenant-enabled", "true");
  }
}
