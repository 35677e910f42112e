package org.strata.ingest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.strata.testkit.DimseTlsFixture;

/**
 * Production's security: strata.auth.mode=required, tokens validated against the platform's
 * Keycloak; the storage SCP with its TLS listener (keys of {@link DimseTlsFixture}) and a known-AE
 * file whose AEs call from 127.0.0.1, except FAR-AWAY, registered for another host; CERT-BOUND is
 * registered with the fixture's client certificate.
 */
public class AuthRequiredProfile implements QuarkusTestProfile {
  static final String TENANT = "dimse-tls";

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>();
    c.put("%test.strata.auth.mode", "required");
    c.put("%test.quarkus.oidc.tenant-enabled", "true");
    DimseTlsFixture tls = DimseTlsFixture.get();
    c.putAll(tls.serverConfig("%test.strata.ingest.dimse.tls"));
    Path knownAes = tls.dir().resolve("ingest-known-aes.conf");
    try {
      Files.writeString(
          knownAes,
          """
          # AE title   host          port   tenant
          TLS-CLIENT   127.0.0.1     -      %1$s
          FAR-AWAY     192.0.2.10    -      %1$s   # TEST-NET-1: never this test's peer
          NO-HOST      -             -      %1$s
          CERT-BOUND   127.0.0.1     -      %1$s   cert=sha256:%2$s
          """
              .formatted(TENANT, tls.clientCertificateSha256()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    c.put("%test.strata.ingest.tenants.known-aes-file", knownAes.toString());
    // Every refusal its own record (RefusalAuditTest); the throttle is SecurityAlertThrottle's.
    c.put("%test.strata.audit.alert-window", "PT0S");
    return c;
  }
}
