package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.chart.ChartPolicyTest.byKindAndName;
import static org.strata.chart.ChartPolicyTest.values;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * audit.syslog (ADR 0038): the Audit Record Repository's address, the trust and client key stores
 * from a Secret (files mounted, passwords as environment variables), the egress rule to it.
 */
class AuditSyslogChartTest {

  @Test
  void theRepositoryItsStoresAndTheEgressRuleAreRendered() {
    Map<String, HasMetadata> all =
        byKindAndName(StrictManifests.parse(Chart.render(values("production-values.yaml"))));
    String props =
        ((ConfigMap) all.get("ConfigMap/strata-audit-config"))
            .getData()
            .get("application.properties");
    for (String line :
        List.of(
            "strata.audit.syslog.host=arr.example.org",
            "strata.audit.syslog.port=6514",
            "strata.audit.syslog.trust-store=/etc/strata-audit-syslog/trust-store.p12",
            "strata.audit.syslog.key-store=/etc/strata-audit-syslog/key-store.p12")) {
      assertTrue(props.lines().anyMatch(line::equals), "audit lacks " + line + ":\n" + props);
    }
    var pod = ((Deployment) all.get("Deployment/strata-audit")).getSpec().getTemplate().getSpec();
    for (var expected :
        Map.of(
                "STRATA_AUDIT_SYSLOG_TRUST_STORE_PASSWORD", "trust-store-password",
                "STRATA_AUDIT_SYSLOG_KEY_STORE_PASSWORD", "key-store-password")
            .entrySet()) {
      var ref = ChartPolicyTest.secretRef(pod, expected.getKey());
      assertEquals("strata-audit-syslog", ref.getName());
      assertEquals(expected.getValue(), ref.getKey());
    }
    assertEquals(
        "strata-audit-syslog",
        ChartPolicyTest.readOnlyMount(pod, "/etc/strata-audit-syslog").getSecret().getSecretName());
    assertTrue(
        ChartPolicyTest.allowsEgress(
            (NetworkPolicy) all.get("NetworkPolicy/strata-audit"), 6514, "10.60.0.0/24"),
        "no egress to the repository");
  }

  @Test
  void noRepositoryByDefaultAndNoneWithoutItsStores(@TempDir Path dir) throws Exception {
    Path on =
        Files.writeString(
            dir.resolve("on.yaml"), "audit: {enabled: true, signingKey: {existingSecret: k}}\n");
    String props =
        ((ConfigMap)
                byKindAndName(StrictManifests.parse(Chart.render(on)))
                    .get("ConfigMap/strata-audit-config"))
            .getData()
            .get("application.properties");
    assertFalse(props.contains("strata.audit.syslog."), props);

    Path noStores =
        Files.writeString(
            dir.resolve("no-stores.yaml"),
            "audit: {enabled: true, signingKey: {existingSecret: k}, syslog: {host: arr}}\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Chart.render(noStores));
    assertTrue(e.getMessage().contains("audit.syslog.existingSecret is required"), e.getMessage());
  }
}
