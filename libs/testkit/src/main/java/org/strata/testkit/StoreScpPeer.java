package org.strata.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DCMTK's {@code storescp} (Debian {@code dcmtk}) as a real C-STORE destination of a test: bit
 * preserving ({@code +B}, the data set written as received), logging at debug level, on a port of
 * the caller's choice so that a test can stop a destination and bring it back on the same address.
 * {@link #receivedOrder()} reads, from its log, the SOP Instance UIDs in the order they arrived.
 */
public final class StoreScpPeer implements AutoCloseable {
  public static final Path EXECUTABLE = Path.of("/usr/bin/storescp");
  private static final Pattern STORED = Pattern.compile("Affected SOP Instance UID\\s*:\\s*(\\S+)");

  private final int port;
  private final Path dir;
  private final Path log;
  private final Process process;

  private StoreScpPeer(int port, Path dir, Path log, Process process) {
    this.port = port;
    this.dir = dir;
    this.log = log;
    this.process = process;
  }

  /** A free loopback port for a destination that is not started yet. */
  public static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /**
   * Starts storescp on {@code port}, writing into {@code dir} (created), with extra {@code options}
   * (e.g. {@code --refuse}); returns once it accepts connections.
   */
  public static StoreScpPeer start(int port, Path dir, String aeTitle, String... options)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path log = dir.resolveSibling(dir.getFileName() + "-" + System.nanoTime() + ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(EXECUTABLE.toString(), "-d", "+B", "-od", dir.toString(), "-aet", aeTitle));
    cmd.addAll(List.of(options));
    cmd.add(String.valueOf(port));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    StoreScpPeer peer = new StoreScpPeer(port, dir, log, p);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return peer;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IOException("storescp ended with " + p.exitValue() + ": " + peer.log());
        }
        Thread.sleep(50);
      }
    }
    peer.close();
    throw new IOException("storescp did not listen on " + port + " within 30 s");
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** The files it wrote (named by SOP Instance UID with a modality prefix, DCMTK's default). */
  public List<Path> files() throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * The SOP Instance UIDs of the C-STORE requests it received, in the order received (from its
   * debug log; a UID appears once however often it is logged).
   */
  public List<String> receivedOrder() throws IOException {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    Matcher m = STORED.matcher(log());
    while (m.find()) {
      out.add(m.group(1));
    }
    return List.copyOf(out);
  }

  /** storescp's process while it runs (a benchmark reads its CPU time). */
  public java.util.Optional<ProcessHandle> process() {
    return java.util.Optional.of(process.toHandle()).filter(ProcessHandle::isAlive);
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
