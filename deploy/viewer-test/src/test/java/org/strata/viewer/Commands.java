package org.strata.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool (npm, node, a deploy script) to its end and returns its output; fails otherwise. */
final class Commands {
  /** A hang guard, not a speed assertion: the browser run waits out a token's lifetime. */
  private static final long CEILING_MINUTES = 15;

  private Commands() {}

  static String run(Path dir, List<String> command) throws IOException, InterruptedException {
    return run(dir, command, Map.of());
  }

  static String run(Path dir, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "command", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean ended = process.waitFor(CEILING_MINUTES, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + (ended ? " exited " + process.exitValue() : " hung")
              + ":\n"
              + output);
    }
    return output;
  }
}
