package org.strata.routing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one profile of routing's service tests (one application start): its own rules file and
 * known-AE file under target/, and retries quick enough to watch (backoff 100 ms doubling to 1 s, 3
 * attempts; the breaker opens after 20 failures in a row, so these tests meet it only when they
 * want to); an attempt's progress written after every instance.
 */
public class RoutingTestProfile implements QuarkusTestProfile {
  static final Path DIR = Path.of("target", "routing-test").toAbsolutePath();
  static final Path RULES = DIR.resolve("routing-rules.yaml");
  static final Path KNOWN_AES = DIR.resolve("known-aes.conf");

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      java.nio.file.Files.createDirectories(DIR);
      java.nio.file.Files.deleteIfExists(RULES);
      java.nio.file.Files.writeString(KNOWN_AES, "# written by the tests\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, String> config = new java.util.HashMap<>();
    config.put("strata.routing.progress-batch", "1");
    config.putAll(
        Map.of(
            "strata.routing.commitment-port", String.valueOf(freePort()),
            "strata.routing.commitment-timeout", "PT60S",
            "strata.routing.job-purge-interval", "PT0.5S",
            "strata.routing.rules-file", RULES.toString(),
            "strata.routing.known-aes-file", KNOWN_AES.toString(),
            "strata.routing.backoff-initial", "PT0.1S",
            "strata.routing.backoff-max", "PT1S",
            "strata.routing.max-attempts", "3",
            "strata.routing.breaker-threshold", "20",
            "strata.routing.breaker-open-for", "PT1S"));
    return config;
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
