package org.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm {@code dicomweb-client} (what OHIF uses) under Node, for tests that drive a service with
 * it: installed from the npm registry into the module's {@code target/node} once per build (pinned
 * versions), and a script of the test resources' {@code js/} folder run with arguments.
 */
public final class NodeClient {
  /** Where the client is installed and the scripts run. */
  public static final Path DIR = Path.of("target", "node");

  private NodeClient() {}

  /** npm install of the pinned client into target/node, once per build. */
  public static synchronized void install() throws Exception {
    if (Files.isDirectory(DIR.resolve("node_modules").resolve("dicomweb-client"))) {
      return;
    }
    Files.createDirectories(DIR);
    Process p =
        new ProcessBuilder(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                DIR.toAbsolutePath().toString(),
                "dicomweb-client@0.11.3",
                "xhr2@0.2.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "npm install did not finish");
    assertEquals(0, p.exitValue(), "npm install failed: " + out);
  }

  /**
   * Runs {@code js/{script}} (a test resource) with Node in target/node, with stdout and stderr
   * together; fails unless it exits 0 within two minutes; gives its output.
   */
  public static String run(String script, String... args) throws Exception {
    return run(script, List.of(args), Duration.ofMinutes(2), true);
  }

  /**
   * Runs {@code js/{script}} with Node in target/node; fails unless it exits 0 within {@code
   * timeout} (a guard against a hung client, not a measurement).
   *
   * @param mergeStderr false: stderr goes to the test's own, and only stdout is returned (e.g. a
   *     JSON answer to parse)
   */
  public static String run(String script, List<String> args, Duration timeout, boolean mergeStderr)
      throws Exception {
    install();
    Path file = DIR.resolve(script);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in = loader.getResourceAsStream("js/" + script)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource js/" + script);
      }
      Files.write(file, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("node", file.toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile());
    if (mergeStderr) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
