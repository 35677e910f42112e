package org.strata.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A reference peer (dcmqrscp, Orthanc) run by a test on free loopback ports. */
final class PeerProcess implements AutoCloseable {
  final Process process;
  final Path log;

  private PeerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Starts {@code command} and waits until it accepts TCP connections on {@code port}. */
  static PeerProcess start(List<String> command, Path log, int port) throws Exception {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PeerProcess peer = new PeerProcess(p, log);
    // hang guard: 300 attempts of 100 ms
    for (int i = 0; i < 300; i++) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return peer;
      } catch (IOException e) {
        // not yet listening
      }
      if (!p.isAlive()) {
        throw new IOException(command.get(0) + " ended with " + p.exitValue() + ": " + peer.log());
      }
      Thread.sleep(100);
    }
    peer.close();
    throw new IOException(command.get(0) + " did not come up on port " + port);
  }

  /** Waits until something accepts TCP connections on {@code port} (hang guard: 300 x 100 ms). */
  static void awaitPort(int port) throws Exception {
    for (int i = 0; i < 300; i++) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException("nothing listens on port " + port);
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
