package org.strata.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the image tarballs {@code package} wrote (target/images), as a registry or a container
 * runtime would: the OCI index, the manifest, the config and every layer; then builds one image
 * again from the same inputs into a fresh cache and expects the same digest.
 */
class ImageTarballIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("strata.root"));
  private static final Path IMAGES = Path.of(System.getProperty("strata.images.dir"));
  private static final String VERSION = System.getProperty("strata.images.version");
  private static final List<ServiceSpec> SERVICES =
      ServiceSpec.parseList(System.getProperty("strata.images.services"));

  @Test
  void everyServiceHasAnOciImageThatRunsJavaAsAnUnprivilegedUserWithoutAShell() throws Exception {
    assertFalse(SERVICES.isEmpty());
    for (ServiceSpec service : SERVICES) {
      OciTarball image = OciTarball.read(BuildImages.tarball(IMAGES, service));
      assertEquals(ServiceImage.reference(service, VERSION), image.referenceName(), service.name());
      assertFalse(VERSION.isBlank() || VERSION.equals("latest"));

      JsonNode config = image.config().get("config");
      assertEquals(ServiceImage.entrypoint(), strings(config.get("Entrypoint")), service.name());
      assertEquals("10001:10001", config.get("User").asText(), service.name());
      assertEquals("/app", config.get("WorkingDir").asText());

      List<String> ports = new ArrayList<>();
      config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
      List<String> expectedPorts = new ArrayList<>(List.of("8080/tcp"));
      service.dimsePort().ifPresent(p -> expectedPorts.add(p + "/tcp"));
      assertEquals(expectedPorts.stream().sorted().toList(), ports.stream().sorted().toList());

      JsonNode labels = config.get("Labels");
      assertEquals(service.imageName(), labels.get("org.opencontainers.image.title").asText());
      assertEquals(VERSION, labels.get("org.opencontainers.image.version").asText());
      assertEquals(
          service.dimsePort().isPresent(), labels.has("org.strata.dimse-port"), service.name());

      Map<String, Integer> files = image.filesWithModes();
      // The entrypoint's program, the Quarkus launcher and the C library are there...
      assertTrue(files.containsKey("opt/java/bin/java"), service.name());
      assertEquals(0755, files.get("opt/java/bin/java") & 0777);
      assertTrue(files.containsKey("app/quarkus-run.jar"), service.name());
      assertTrue(files.containsKey("lib64/ld-linux-x86-64.so.2"), service.name());
      // ...the application is read-only for its user, and there is no shell at all.
      assertEquals(0644, files.get("app/quarkus-run.jar") & 0777);
      assertFalse(files.containsKey("bin/sh"), service.name());
      assertTrue(
          files.keySet().stream().noneMatch(f -> f.matches(".*/(sh|bash|dash|busybox)")),
          service.name());
    }
  }

  /** A service module without an image would be missing from every deployment. */
  @Test
  void everyServiceModuleOfTheBuildHasAnImage() throws IOException {
    String rootPom = Files.readString(ROOT.resolve("pom.xml"));
    List<String> modules =
        java.util.regex.Pattern.compile("<module>services/([a-z0-9-]+)</module>")
            .matcher(rootPom)
            .results()
            .map(m -> m.group(1))
            .sorted()
            .toList();
    assertTrue(
        modules.containsAll(
            List.of("ingest", "index", "query", "routing", "storage-tiering", "audit")));
    assertEquals(modules, SERVICES.stream().map(ServiceSpec::name).sorted().toList());
    for (ServiceSpec service : SERVICES) {
      assertTrue(Files.isRegularFile(BuildImages.tarball(IMAGES, service)), service.name());
    }
  }

  @Test
  void aRebuildWithoutChangesHasTheSameDigest(@TempDir Path scratch) throws Exception {
    // The smallest image keeps the test short; every image goes through the same code.
    ServiceSpec service = SERVICES.get(SERVICES.size() - 1);
    OciTarball built = OciTarball.read(BuildImages.tarball(IMAGES, service));
    JavaRuntime runtime = JavaRuntime.assemble(IMAGES.resolve("runtime"));

    String rebuilt =
        ServiceImage.build(
            service,
            VERSION,
            BuildImages.quarkusApp(ROOT, service),
            runtime,
            scratch.resolve("again.tar"),
            scratch.resolve("fresh-cache"));
    assertEquals(built.manifestDigest(), rebuilt);

    // The digest does depend on the inputs: another version tag is another config.
    String other =
        ServiceImage.build(
            service,
            VERSION + "-other",
            BuildImages.quarkusApp(ROOT, service),
            runtime,
            scratch.resolve("other.tar"),
            scratch.resolve("fresh-cache"));
    assertNotEquals(built.manifestDigest(), other);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** An OCI image layout tarball: index.json, oci-layout and blobs/sha256/*. */
  record OciTarball(Path file, JsonNode index, JsonNode manifest, JsonNode config) {

    static OciTarball read(Path file) throws IOException {
      assertTrue(Files.isRegularFile(file), file + " missing: run `make images`");
      JsonNode index = JSON.readTree(TarReader.entry(file, "index.json"));
      assertEquals(1, index.get("manifests").size());
      String manifestDigest = index.get("manifests").get(0).get("digest").asText();
      JsonNode manifest = JSON.readTree(TarReader.entry(file, blob(manifestDigest)));
      assertEquals(
          "application/vnd.oci.image.manifest.v1+json", manifest.get("mediaType").asText());
      JsonNode config =
          JSON.readTree(TarReader.entry(file, blob(manifest.get("config").get("digest").asText())));
      return new OciTarball(file, index, manifest, config);
    }

    String manifestDigest() {
      return index.get("manifests").get(0).get("digest").asText();
    }

    String referenceName() {
      return index
          .get("manifests")
          .get(0)
          .get("annotations")
          .get("org.opencontainers.image.ref.name")
          .asText();
    }

    /** Every file of every layer (path without the leading slash) and its mode. */
    Map<String, Integer> filesWithModes() throws IOException {
      Map<String, Integer> files = new HashMap<>();
      for (JsonNode layer : manifest.get("layers")) {
        byte[] gz = TarReader.entry(file, blob(layer.get("digest").asText()));
        try (InputStream tar = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
          TarReader.forEach(tar, (name, mode) -> files.put(name, mode));
        }
      }
      return files;
    }

    private static String blob(String digest) {
      return "blobs/" + digest.replace(':', '/');
    }
  }
}
