package org.strata.query;

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
 * Keycloak; the Q/R SCP with its TLS listener (keys of {@link DimseTlsFixture}) and a known-AE file
 * whose AEs call from 127.0.0.1, except FAR-AWAY, registered for another host; CERT-BOUND is
 * registered with the fixture's client certificate (ADR 0057).
 */
public class AuthRequiredProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>();
    c.put("%test.strata.auth.mode", "required");
    c.put("%test.quarkus.oidc.tenant-enabled", "true");
    DimseTlsFixture tls = DimseTlsFixture.get();
    c.putAll(tls.serverConfig("%test.strata.query.dimse.tls"));
    Path knownAes = tls.dir().resolve("query-known-aes.conf");
    try {
      Files.writeString(
          knownAes,
          """
          # AE title   host          port   tenant
          TLS-CLIENT   127.0.0.1     -      local
          FAR-AWAY     192.0.2.10    -      local   # TEST-NET-1: never this test's peer
          CERT-BOUND   127.0.0.1     -      local   cert=sha256:%s
          """
              .formatted(tls.clientCertificateSha256()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    c.put("%test.strata.query.dimse.known-aes-file", knownAes.toString());
    return c;
  }
}
