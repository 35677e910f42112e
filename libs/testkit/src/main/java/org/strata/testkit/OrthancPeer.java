package org.strata.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Orthanc from Debian as a real peer of a test: started from a configuration written here (own HTTP
 * and DICOM ports, storage under {@code dir}, the DICOMweb plugin, Strata as its one modality and
 * DICOMweb server), stopped on close. Tests talk to it through its REST API at {@link #url()}.
 */
public final class OrthancPeer implements AutoCloseable {
  public static final Path EXECUTABLE = Path.of("/usr/sbin/Orthanc");
  public static final Path DICOMWEB_PLUGIN =
      Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");

  private final Process process;
  private final String url;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private OrthancPeer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * @param dicomPort Orthanc's own DICOM port (0: a free one)
   * @param strataAe the AE title Orthanc knows Strata by (its modality "strata")
   * @param strataDicomPort that AE's port on 127.0.0.1
   * @param strataHttpPort the port of Strata's {@code /dicomweb/} (its DICOMweb server "strata")
   */
  public static OrthancPeer start(
      Path dir, int dicomPort, String strataAe, int strataDicomPort, int strataHttpPort)
      throws IOException, InterruptedException {
    return start(dir, dicomPort, strataAe, strataDicomPort, strataHttpPort, null);
  }

  /**
   * As {@link #start(Path, int, String, int, int)}, with a Lua script of Orthanc's (its callbacks
   * such as {@code OnStoredInstance}) when {@code lua} is not null: a peer that misbehaves on
   * purpose.
   */
  public static OrthancPeer start(
      Path folder,
      int dicomPort,
      String strataAe,
      int strataDicomPort,
      int strataHttpPort,
      String lua)
      throws IOException, InterruptedException {
    // Absolute: Orthanc reads the script's path relative to its configuration file's folder.
    Path dir = folder.toAbsolutePath();
    int httpPort = freePort();
    String scripts = "[]";
    if (lua != null) {
      Path script = dir.resolve("peer.lua");
      Files.writeString(script, lua);
      scripts = "[\"" + script + "\"]";
    }
    Files.writeString(
        dir.resolve("orthanc.json"),
        """
        {
          "Name": "STRATA-TEST-PEER",
          "StorageDirectory": "%s",
          "IndexDirectory": "%s",
          "HttpPort": %d,
          "DicomPort": %d,
          "DicomAet": "ORTHANC",
          "RemoteAccessAllowed": false,
          "AuthenticationEnabled": false,
          "DicomModalities": { "strata": ["%s", "127.0.0.1", %d] },
          "Plugins": ["%s"],
          "LuaScripts": %s,
          "DicomWeb": {
            "Enable": true,
            "Servers": { "strata": ["http://127.0.0.1:%d/dicomweb/"] }
          }
        }
        """
            .formatted(
                dir.resolve("storage"),
                dir.resolve("index"),
                httpPort,
                dicomPort == 0 ? freePort() : dicomPort,
                strataAe,
                strataDicomPort,
                DICOMWEB_PLUGIN,
                scripts,
                strataHttpPort));
    Process process =
        new ProcessBuilder(EXECUTABLE.toString(), dir.resolve("orthanc.json").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orthanc.log").toFile())
            .start();
    OrthancPeer peer = new OrthancPeer(process, "http://127.0.0.1:" + httpPort);
    try {
      peer.awaitUp();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /** The REST API's base, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Orthanc's process while it runs (a benchmark reads its CPU time). */
  public java.util.Optional<ProcessHandle> process() {
    return java.util.Optional.of(process.toHandle()).filter(ProcessHandle::isAlive);
  }

  /** An HTTP/1.1 client for the REST API. */
  public HttpClient http() {
    return http;
  }

  private void awaitUp() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // start-up guard only
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Orthanc exited; see orthanc.log");
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url + "/system")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Orthanc did not start");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
