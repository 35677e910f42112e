package org.strata.dicom.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's DCMTK command line tools (tests are skipped when they are missing). */
final class Dcmtk {
  private Dcmtk() {}

  record Result(int exitCode, String output) {}

  static boolean available(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool));
  }

  /** Runs a tool to completion; the 5-minute bound only guards against a hang. */
  static Result run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("dcmtk", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      // DCMTK leaves Nagle's algorithm on unless told: each small C-STORE then waits for a
      // delayed ACK (about 40 ms), which only slows the tests down
      pb.environment().put("TCP_NODELAY", "1");
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("hang guard: " + command + " did not end");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static List<String> cmd(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
