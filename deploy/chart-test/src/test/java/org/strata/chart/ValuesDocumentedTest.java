package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every value in values.yaml has a row in the chart's README and an entry in its schema. */
class ValuesDocumentedTest {

  /** Objects whose content is Kubernetes' own (or free-form), documented as one value. */
  private static final Set<String> OPAQUE =
      Set.of(
          "resources",
          "podAnnotations",
          "nodeSelector",
          "affinity",
          "annotations",
          "namespaceSelector",
          "labels",
          "podSecurityContext",
          "securityContext",
          "startup",
          "liveness",
          "readiness",
          "config");

  @Test
  void everyValueIsInTheReadmeAndTheSchema() throws Exception {
    JsonNode values =
        new ObjectMapper(new YAMLFactory()).readTree(Chart.DIR.resolve("values.yaml").toFile());
    JsonNode schema = new ObjectMapper().readTree(Chart.DIR.resolve("values.schema.json").toFile());
    String readme = Files.readString(Chart.DIR.resolve("README.md"));

    List<String> paths = new ArrayList<>();
    leaves("", values, paths);
    List<String> undocumented =
        paths.stream().filter(p -> !readme.contains("| `" + p + "` |")).toList();
    assertEquals(List.of(), undocumented, "values without a README row");

    List<String> unschematized = new ArrayList<>();
    for (String path : paths) {
      JsonNode node = schema;
      for (String key : path.split("\\.")) {
        node = node.path("properties").path(key);
      }
      if (node.isMissingNode()) {
        unschematized.add(path);
      }
    }
    assertEquals(List.of(), unschematized, "values missing from values.schema.json");
  }

  private static void leaves(String prefix, JsonNode node, List<String> out) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              JsonNode child = node.get(key);
              String path = prefix + key;
              if (child.isObject() && !child.isEmpty() && !OPAQUE.contains(key)) {
                leaves(path + ".", child, out);
              } else {
                out.add(path);
              }
            });
  }
}
