package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
