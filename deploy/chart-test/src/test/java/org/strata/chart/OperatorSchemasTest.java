package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's CloudNativePG ({@code Cluster}) and KEDA ({@code ScaledObject}) resources against
 * their CRDs' schemas: types, enums and required fields, as the API server would check them. No
 * Java model of either exists on Maven Central, so the validators come from npm
 * (kubernetes-models-ts, generated from the operators' own CRDs) and run in Node.
 */
class OperatorSchemasTest {
  private static final Set<String> GROUPS = Set.of("postgresql.cnpg.io/v1", "keda.sh/v1alpha1");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path npm;

  @BeforeAll
  static void installValidators() throws Exception {
    npm = Files.createDirectories(Path.of("target", "npm-crds").toAbsolutePath());
    Files.copy(
        Path.of("package.json"), npm.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        Path.of("src/test/js/validate-custom-resources.mjs"),
        npm.resolve("validate-custom-resources.mjs"),
        StandardCopyOption.REPLACE_EXISTING);
    Result install =
        run(
            List.of(
                "npm",
                "install",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--prefer-offline"));
    assertEquals(0, install.status(), "npm install: " + install.output());
  }

  @Test
  void theOperatorsResourcesOfTheProductionAndHaValuesMatchTheirCrds() throws Exception {
    List<ObjectNode> objects = new ArrayList<>();
    for (String values : List.of("production-values.yaml", "ha-values.yaml")) {
      objects.addAll(customResources(Chart.CI_VALUES.resolve(values)));
    }
    assertTrue(
        objects.stream().anyMatch(o -> o.path("kind").asText().equals("Cluster")),
        "the production values render a CloudNativePG Cluster");
    assertTrue(
        objects.stream().anyMatch(o -> o.path("kind").asText().equals("ScaledObject")),
        "the HA values render a KEDA ScaledObject");

    Result result = validate(objects);

    assertEquals(0, result.status(), result.output());
    assertEquals(objects.size(), result.output().lines().filter(l -> l.startsWith("ok ")).count());
  }

  /** The validators are live: a wrong type in each kind is reported, with its path. */
  @Test
  void aWrongTypeIsReported() throws Exception {
    List<ObjectNode> broken = new ArrayList<>();
    for (ObjectNode o : customResources(Chart.CI_VALUES.resolve("production-values.yaml"))) {
      if (o.path("kind").asText().equals("Cluster")) {
        ((ObjectNode) o.path("spec")).put("instances", "three");
        broken.add(o);
      }
    }
    for (ObjectNode o : customResources(Chart.CI_VALUES.resolve("ha-values.yaml"))) {
      if (o.path("kind").asText().equals("ScaledObject")) {
        ((ObjectNode) o.path("spec")).put("maxReplicaCount", "many");
        broken.add(o);
      }
    }
    assertEquals(2, broken.size(), "one Cluster and one ScaledObject to break");

    Result result = validate(broken);

    assertEquals(1, result.status(), result.output());
    assertTrue(result.output().contains("spec/instances must be integer"), result.output());
    assertTrue(result.output().contains("spec/maxReplicaCount must be integer"), result.output());
  }

  private static List<ObjectNode> customResources(Path values) throws IOException {
    List<ObjectNode> found = new ArrayList<>();
    for (String doc : Chart.render(values)) {
      if (YAML.readTree(doc) instanceof ObjectNode o
          && GROUPS.contains(o.path("apiVersion").asText())) {
        found.add(o);
      }
    }
    return found;
  }

  private static Result validate(List<ObjectNode> objects) throws Exception {
    Path input = Files.createTempFile(npm, "resources", ".json");
    JSON.writeValue(input.toFile(), objects);
    return run(List.of("node", "validate-custom-resources.mjs", input.toString()));
  }

  private record Result(int status, String output) {}

  private static Result run(List<String> command) throws Exception {
    Path log = Files.createTempFile(npm, "command", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(npm.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    // A hang guard, not a speed assertion.
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " hung");
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
