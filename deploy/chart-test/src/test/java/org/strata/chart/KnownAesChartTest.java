package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.chart.ChartPolicyTest.byKindAndName;
import static org.strata.chart.ChartPolicyTest.values;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * knownAes in known-aes.conf's format, with the optional fields of an AE that has them: {@code
 * cert=sha256:} (ADR 0057) and {@code labels=} (ADR 0061); values.schema.json refuses a malformed
 * fingerprint or label. (ChartConfigurationIT starts the services on such a file.)
 */
class KnownAesChartTest {

  @Test
  void theOptionalFieldsFollowTheTenantOfTheAesThatHaveThem(@TempDir Path dir) throws Exception {
    String conf =
        ((ConfigMap)
                byKindAndName(StrictManifests.parse(Chart.render(values("production-values.yaml"))))
                    .get("ConfigMap/strata-known-aes"))
            .getData()
            .get("known-aes.conf");
    List<String> lines = conf.lines().map(String::strip).toList();
    assertTrue(lines.contains("CT01 10.20.0.5 - hosp-a"), conf);
    assertTrue(
        lines.contains(
            "CARDIO-WS 10.20.0.8 - hosp-a cert=sha256:3f:1a:9c:00:11:22:33:44:55:66:77:88:99:aa:bb:cc"
                + ":dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc labels=cardiology,Echo-Lab"),
        conf);

    for (String bad :
        List.of(
            "knownAes: [{aeTitle: X, tenant: t, certificateSha256: 3f1a}]\n",
            "knownAes: [{aeTitle: X, tenant: t, labels: [\"card iology\"]}]\n",
            "knownAes: [{aeTitle: X, tenant: t, labels: []}]\n")) {
      Path values = Files.writeString(dir.resolve("bad.yaml"), bad);
      assertThrows(IllegalStateException.class, () -> Chart.render(values), bad);
    }
  }
}
