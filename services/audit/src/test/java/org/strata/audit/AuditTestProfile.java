package org.strata.audit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The one profile of every audit test (one application start): production's security
 * (strata.auth.mode=required, tokens validated against the platform's Keycloak), since the audit
 * API is the auditor's and the tests call it with real tokens; DICOM audit messages go to the
 * tests' rsyslogd ({@link RsyslogRepository}), which only DicomAuditSyslogTest runs; a retired
 * checkpoint key ({@link RetiredCheckpointKey}) is trusted for verification.
 */
public class AuditTestProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(RsyslogRepository.get().serviceConfig());
    config.put("%test.strata.auth.mode", "required");
    config.put("%test.quarkus.oidc.tenant-enabled", "true");
    // A key rotated out: its checkpoints still verify (TamperingTest).
    config.put(
        "strata.audit.signing.previous-public-keys",
        RetiredCheckpointKey.publicKeyFile().toString());
    return config;
  }
}
