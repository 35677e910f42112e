package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.chart.ChartPolicyTest.byKindAndName;
import static org.strata.chart.ChartPolicyTest.values;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * audit.signingKey.previousPublicKeys (ADR 0056): the retired checkpoint keys' public keys are a
 * ConfigMap mounted read-only, each file named in {@code
 * strata.audit.signing.previous-public-keys}; none by default. (ChartConfigurationIT starts the
 * audit service with such keys.)
 */
class AuditKeyRotationChartTest {

  @Test
  void retiredPublicKeysAreAMountedConfigMapTheServiceIsToldOf(@TempDir Path dir) throws Exception {
    Map<String, HasMetadata> all =
        byKindAndName(StrictManifests.parse(Chart.render(values("production-values.yaml"))));
    ConfigMap keys = (ConfigMap) all.get("ConfigMap/strata-audit-previous-keys");
    String pem = keys.getData().get("previous-1.pem");
    assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
    assertTrue(pem.strip().endsWith("-----END PUBLIC KEY-----"), pem);
    assertEquals(1, keys.getData().size(), keys.getData().keySet().toString());
    var pod = ((Deployment) all.get("Deployment/strata-audit")).getSpec().getTemplate().getSpec();
    assertEquals(
        "strata-audit-previous-keys",
        ChartPolicyTest.readOnlyMount(pod, "/etc/strata-audit-previous-keys")
            .getConfigMap()
            .getName());
    assertTrue(
        properties(all)
            .lines()
            .anyMatch(
                ("strata.audit.signing.previous-public-keys="
                        + "/etc/strata-audit-previous-keys/previous-1.pem")
                    ::equals),
        properties(all));

    Path none =
        Files.writeString(
            dir.resolve("on.yaml"), "audit: {enabled: true, signingKey: {existingSecret: k}}\n");
    Map<String, HasMetadata> plain = byKindAndName(StrictManifests.parse(Chart.render(none)));
    assertFalse(plain.containsKey("ConfigMap/strata-audit-previous-keys"));
    assertFalse(properties(plain).contains("previous-public-keys"), properties(plain));
  }

  private static String properties(Map<String, HasMetadata> all) {
    return ((ConfigMap) all.get("ConfigMap/strata-audit-config"))
        .getData()
        .get("application.properties");
  }
}
