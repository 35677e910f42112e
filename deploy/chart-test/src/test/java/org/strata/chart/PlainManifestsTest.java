package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * k8s/strata.yaml, the manifests for users without Helm, is exactly the chart rendered with
 * helm/strata/ci/plain-manifests-values.yaml. {@code make manifests} rewrites it.
 */
class PlainManifestsTest {

  private static final Path FILE = Chart.ROOT.resolve("k8s/strata.yaml");
  private static final String HEADER =
      "# Rendered from helm/strata with helm/strata/ci/plain-manifests-values.yaml by `make"
          + " manifests`:\n# edit the chart, not this file (k8s/README.md says what to change).\n";

  @Test
  void k8sManifestsAreTheRenderedChart() throws Exception {
    String rendered =
        HEADER
            + String.join(
                "---", Chart.render(Chart.CI_VALUES.resolve("plain-manifests-values.yaml")));
    if (Boolean.getBoolean("strata.k8s.write")) {
      Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
    }
    StrictManifests.parse(Chart.documents(rendered));
    assertEquals(
        rendered,
        Files.readString(FILE, StandardCharsets.UTF_8),
        "k8s/strata.yaml is not the rendered chart: run `make manifests`");
  }
}
