package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * STOW-RS from the npm {@code dicomweb-client} (what OHIF uses), installed from the npm registry
 * into target/ on first use, against the ingest service on the real platform.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class DicomwebClientStowTest {
  static final Path NODE = Path.of("target", "node");

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void dicomwebClientStoresInstancesByteForByte() throws Exception {
    installClient();
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    List<Path> files = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      byte[] file = DicomFiles.instance(study, study + ".1", study + ".1." + i, "DWC", 4096);
      Path f = Files.createTempFile(Path.of("target"), "dwc-", ".dcm");
      Files.write(f, file);
      files.add(f);
      contents.add(file);
    }
    Path script = NODE.resolve("stow.js");
    try (InputStream in = getClass().getResourceAsStream("/js/stow.js")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("node", script.toAbsolutePath().toString()));
    command.add("http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb");
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    Process p =
        new ProcessBuilder(command).directory(NODE.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, p.exitValue(), out);

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    for (int i = 1; i <= 3; i++) {
      String key = "local/" + study + "/" + study + ".1/" + study + ".1." + i + ".dcm";
      try (InputStream in = store.get(key)) {
        assertArrayEquals(contents.get(i - 1), in.readAllBytes(), key);
      }
    }
  }

  /**
   * Every pydicom sample in one {@code storeInstances} call, in the order and with the outcomes
   * StowTest expects of the same request (PydicomSamples): each stored object byte for byte in S3,
   * exactly one event each with the right record key and fields, the refused ones with their
   * Failure Reason.
   */
  @Test
  void dicomwebClientStoresEveryPydicomSample() throws Exception {
    installClient();
    List<PydicomSamples.Sample> samples = PydicomSamples.all();
    assertTrue(samples.size() > 60, "pydicom samples: " + samples.size());
    List<Integer> expected = PydicomSamples.expectedStatuses(samples);
    Path script = NODE.resolve("stow.js");
    try (InputStream in = getClass().getResourceAsStream("/js/stow.js")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("node", script.toAbsolutePath().toString()));
    command.add("http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb");
    samples.forEach(s -> command.add(s.file().toString()));
    Process p =
        new ProcessBuilder(command)
            .directory(NODE.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, p.exitValue(), out);

    JsonNode json = new ObjectMapper().readTree(out);
    List<String> stored = new ArrayList<>();
    json.path("00081199").path("Value").forEach(i -> stored.add(sop(i)));
    List<Integer> reasons = new ArrayList<>();
    json.path("00081198")
        .path("Value")
        .forEach(i -> reasons.add(i.path("00081197").path("Value").get(0).asInt()));
    List<String> expectedStored = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (expected.get(i) == 0) {
        expectedStored.add(samples.get(i).sop());
      }
    }
    assertEquals(expectedStored.stream().sorted().toList(), stored.stream().sorted().toList());
    assertEquals(
        expected.stream().filter(c -> c != 0).sorted().toList(),
        reasons.stream().sorted().toList(),
        "failure reasons");

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    List<PydicomSamples.Sample> first = PydicomSamples.firstOfEachSop(samples);
    java.util.Set<String> sops = new java.util.HashSet<>();
    first.forEach(s -> sops.add(s.sop()));
    java.util.Map<String, StoredEvents.Keyed> events = new java.util.HashMap<>();
    for (StoredEvents.Keyed k :
        StoredEvents.upToNow(
            bootstrap, e -> "local".equals(e.tenant()) && sops.contains(e.sopInstanceUid()))) {
      assertTrue(
          events.put(k.event().sopInstanceUid(), k) == null,
          "two events for " + k.event().sopInstanceUid());
    }
    for (PydicomSamples.Sample s : first) {
      String key = s.key("local") + ".dcm";
      byte[] bytes;
      try (InputStream in = store.get(key)) {
        bytes = in.readAllBytes();
      }
      assertArrayEquals(s.bytes(), bytes, s.name());
      StoredEvents.Keyed k = events.get(s.sop());
      assertTrue(k != null, "no event for " + s.name());
      assertEquals(s.uids().get("0020,000d"), k.key(), s.name());
      assertEquals(s.uids().get("0020,000e"), k.event().seriesInstanceUid(), s.name());
      assertEquals(s.uids().get("0008,0016"), k.event().sopClassUid(), s.name());
      assertEquals(s.uids().get("0002,0010"), k.event().transferSyntaxUid(), s.name());
      assertEquals(key, k.event().objectLocation().key());
      assertEquals(bytes.length, k.event().objectLocation().size());
      assertEquals(
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)),
          k.event().objectLocation().sha256(),
          s.name());
    }
  }

  private static String sop(JsonNode item) {
    return item.path("00081155").path("Value").get(0).asText();
  }

  /** npm install of the pinned client into target/node, once per build. */
  static void installClient() throws Exception {
    if (Files.isDirectory(NODE.resolve("node_modules").resolve("dicomweb-client"))) {
      return;
    }
    Files.createDirectories(NODE);
    Process p =
        new ProcessBuilder(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                NODE.toAbsolutePath().toString(),
                "dicomweb-client@0.11.3",
                "xhr2@0.2.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "npm install did not finish");
    assertEquals(0, p.exitValue(), "npm install failed: " + out);
  }
}
