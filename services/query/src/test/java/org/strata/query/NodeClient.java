package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm {@code dicomweb-client} (what OHIF uses) under Node, for the tests that drive the service
 * with it: installed from the npm registry into target/node once per build (pinned versions, as
 * ingest's STOW test does), and a script of src/test/resources/js run with arguments.
 */
final class NodeClient {
  static final Path NODE = Path.of("target", "node");

  private NodeClient() {}

  /** npm install of the pinned client into target/node, once per build. */
  static synchronized void install() throws Exception {
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

  /**
   * Runs {@code src/test/resources/js/{script}} with Node in target/node (where the client is
   * installed), fails unless it exits 0 within two minutes; gives its output.
   */
  static String run(String script, String... args) throws Exception {
    install();
    Path file = NODE.resolve(script);
    try (InputStream in = NodeClient.class.getResourceAsStream("/js/" + script)) {
      Files.write(file, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("node", file.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(NODE.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
