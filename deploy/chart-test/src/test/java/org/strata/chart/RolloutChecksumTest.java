package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A change of what a pod reads at start rolls it, and only it: for each change of the values, the
 * pod template of every Deployment mounting a ConfigMap whose content changed (or, for a new
 * secretsRevision, reading a Secret) differs, and every other Deployment's is the same as before.
 * Quarkus reads its configuration only at start, and the kubelet does not restart pods for a
 * changed ConfigMap or Secret.
 */
class RolloutChecksumTest {

  /** Every service on, with what audit needs; each variant changes one thing of it. */
  private static final String BASE =
      """
      audit: {enabled: true, signingKey: {existingSecret: key, previousPublicKeys: [%s]}}
      """
          .formatted(publicKeyPem("MCowBQYDK2VwAyEAICQRcbyyTlPvH4rzToInsNVfyg127/UHOZCFpvBiWgY="));

  /** A retired checkpoint key's public key as a YAML string (its base64 DER given). */
  private static String publicKeyPem(String base64) {
    return "\"-----BEGIN PUBLIC KEY-----\\n" + base64 + "\\n-----END PUBLIC KEY-----\\n\"";
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("known AEs", "knownAes: [{aeTitle: CT02, tenant: hosp-a}]\n"),
        Arguments.of(
            "one service's properties",
            "ingest: {config: {strata.ingest.max-concurrent-stores: \"3\"}}\n"),
        Arguments.of(
            "lifecycle policies",
            "storageTiering: {policies: {rules: [{name: p, enabled: false, since: study-date,"
                + " olderThan: P2Y, toTier: cold}]}}\n"),
        Arguments.of(
            "routing rules",
            "routing: {rules: {destinations: [{name: pacs, dimse: {aeTitle: PACS}}]}}\n"),
        Arguments.of(
            "audit's syslog repository",
            "audit: {enabled: true, signingKey: {existingSecret: key},"
                + " syslog: {host: arr.example.org, existingSecret: arr}}\n"),
        Arguments.of(
            "audit's retired public keys (another key, the same file names)",
            "audit: {enabled: true, signingKey: {existingSecret: key, previousPublicKeys: ["
                + publicKeyPem("MCowBQYDK2VwAyEAzD7RGYErtErVHYFM1z4S6ULeEA9BvUYLM8EdUsFzIeE=")
                + "]}}\n"),
        Arguments.of("a Secret's revision", "secretsRevision: \"2026-12-07\"\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void theChangeRollsExactlyThePodsThatReadIt(String what, String change, @TempDir Path dir)
      throws Exception {
    Map<String, HasMetadata> before = render(dir.resolve("before.yaml"), BASE);
    Map<String, HasMetadata> after = render(dir.resolve("after.yaml"), BASE + change);
    boolean secretsChanged = change.startsWith("secretsRevision");

    Set<String> mustRoll = new TreeSet<>();
    Set<String> rolled = new TreeSet<>();
    for (HasMetadata object : after.values()) {
      if (!(object instanceof Deployment deployment)) {
        continue;
      }
      String name = deployment.getMetadata().getName();
      Deployment old = (Deployment) before.get("Deployment/" + name);
      var pod = deployment.getSpec().getTemplate().getSpec();
      boolean configChanged =
          pod.getVolumes().stream()
              .filter(v -> v.getConfigMap() != null)
              .map(v -> "ConfigMap/" + v.getConfigMap().getName())
              .anyMatch(cm -> !data(before.get(cm)).equals(data(after.get(cm))));
      boolean readsSecrets =
          pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null)
              || pod.getContainers().stream()
                  .flatMap(c -> c.getEnv().stream())
                  .anyMatch(e -> e.getValueFrom() != null);
      if (configChanged || (secretsChanged && readsSecrets)) {
        mustRoll.add(name);
      }
      if (!deployment.getSpec().getTemplate().equals(old.getSpec().getTemplate())) {
        rolled.add(name);
      }
    }
    assertFalse(mustRoll.isEmpty(), what + " changed nothing a pod reads: a vacuous variant");
    assertEquals(mustRoll, rolled, what + ": the Deployments whose pods roll");
  }

  private static Map<String, HasMetadata> render(Path file, String values) throws Exception {
    Files.writeString(file, values);
    return ChartPolicyTest.byKindAndName(StrictManifests.parse(Chart.render(file)));
  }

  private static Map<String, String> data(HasMetadata configMap) {
    assertNotEquals(null, configMap, "a mounted ConfigMap the chart does not render");
    return ((ConfigMap) configMap).getData();
  }
}
