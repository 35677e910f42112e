package org.strata.images;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production profile refuses anonymous access at start (ADR 0024): each packaged service jar,
 * started as the images start it (profile prod) but configured with {@code strata.auth.mode=local},
 * or with OIDC turned off, exits non-zero and says why on stderr. Nothing else is running: ingest
 * and query stop at their start-up check before they need Kafka, PostgreSQL, S3 or Keycloak. Index
 * is left out: it migrates its schema before any start-up observer runs, so without PostgreSQL it
 * exits on the database first (its guard is the same class as theirs).
 */
class ProductionProfileRefusalIT {
  private static final Path ROOT = Path.of(System.getProperty("strata.root"));

  static List<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String service : List.of("ingest", "query")) {
      all.add(Arguments.of(service, "STRATA_AUTH_MODE", "local", "strata.auth.mode=local"));
      all.add(
          Arguments.of(
              service,
              "QUARKUS_OIDC_TENANT_ENABLED",
              "false",
              "quarkus.oidc.tenant-enabled=false"));
    }
    return all;
  }

  @ParameterizedTest(name = "{0} with {1}={2}")
  @MethodSource("cases")
  void refusesToStart(
      String service, String variable, String value, String reason, @TempDir Path dir)
      throws Exception {
    Path jar = ROOT.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
    assertTrue(Files.isRegularFile(jar), jar + " not packaged");
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                jar.toString())
            .directory(dir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_PROFILE", "prod");
    env.put(variable, value);
    // Free ports, so that nothing a developer runs is in the way.
    env.put("QUARKUS_HTTP_PORT", "0");
    env.put("STRATA_INGEST_DIMSE_PORT", "0");
    env.put("STRATA_QUERY_DIMSE_PORT", "0");
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) { // hang guard only: it must exit, not be fast
      p.destroyForcibly().waitFor();
      throw new AssertionError(service + " still running: " + read(stdout) + read(stderr));
    }
    String out = read(stdout);
    String err = read(stderr);
    assertNotEquals(0, p.exitValue(), out + err);
    assertTrue(
        err.contains(reason) && err.contains("refused in the production profile"),
        "stderr must say why:\n" + err + "\nstdout:\n" + out);
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
