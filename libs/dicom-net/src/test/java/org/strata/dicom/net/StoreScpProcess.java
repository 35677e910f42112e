package org.strata.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** DCMTK's storescp as a reference peer, bit-preserving (+B), on a free loopback port. */
final class StoreScpProcess implements AutoCloseable {
  final int port;
  final Path dir;
  private final Process process;

  StoreScpProcess(Path dir, String aeTitle, String... options) throws Exception {
    this.dir = dir;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(List.of("storescp", "+B", "-od", dir.toString(), "-aet", aeTitle));
    cmd.addAll(List.of(options));
    cmd.add(String.valueOf(port));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile())
            .start();
    // Ready when it accepts a TCP connection (hang guard: 100 attempts).
    for (int i = 0; i < 100; i++) {
      try {
        new java.net.Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (IOException e) {
        // not yet listening
      }
      if (!process.isAlive()) {
        throw new IOException("storescp ended with " + process.exitValue());
      }
      Thread.sleep(100);
    }
    close();
    throw new IOException("storescp did not come up on port " + port);
  }

  String log() throws IOException {
    return java.nio.file.Files.readString(dir.resolveSibling(dir.getFileName() + ".log"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
