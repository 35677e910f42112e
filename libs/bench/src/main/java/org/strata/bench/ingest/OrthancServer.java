package org.strata.bench.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Orthanc from Debian as the peer: default configuration (SQLite index, files on the same disk),
 * the DICOMweb plugin enabled, bound to loopback, in a directory of its own.
 */
public final class OrthancServer implements AutoCloseable {
  private final Process process;
  private final int httpPort;
  private final int dicomPort;

  private OrthancServer(Process process, int httpPort, int dicomPort) {
    this.process = process;
    this.httpPort = httpPort;
    this.dicomPort = dicomPort;
  }

  public static OrthancServer start(Path dir, int httpPort, int dicomPort) throws Exception {
    return start(dir, httpPort, dicomPort, "/dicom-web/");
  }

  /** As above, with the DICOMweb plugin at {@code dicomwebRoot} (e.g. Strata's "/dicomweb/"). */
  public static OrthancServer start(Path dir, int httpPort, int dicomPort, String dicomwebRoot)
      throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("orthanc.json");
    Files.writeString(
        config,
        """
        {
          "Name": "STRATA-BENCH-PEER",
          "StorageDirectory": "%s",
          "IndexDirectory": "%s",
          "HttpPort": %d,
          "DicomPort": %d,
          "RemoteAccessAllowed": false,
          "AuthenticationEnabled": false,
          "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
          "DicomWeb": { "Enable": true, "Root": "%s" }
        }
        """
            .formatted(
                dir.resolve("storage"), dir.resolve("index"), httpPort, dicomPort, dicomwebRoot));
    Process process =
        new ProcessBuilder("Orthanc", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orthanc.log").toFile())
            .start();
    OrthancServer server = new OrthancServer(process, httpPort, dicomPort);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/system")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return server;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Orthanc exited: see " + dir.resolve("orthanc.log"));
      }
      Thread.sleep(200);
    }
    server.close();
    throw new IllegalStateException("Orthanc did not start: see " + dir.resolve("orthanc.log"));
  }

  /** Orthanc's DICOM port (AE title ORTHANC; any calling AE is accepted). */
  public int dicomPort() {
    return dicomPort;
  }

  /** Orthanc's process, for its CPU time ({@link org.strata.bench.ProcessCpu}). */
  public java.util.Optional<ProcessHandle> process() {
    return java.util.Optional.of(process.toHandle()).filter(ProcessHandle::isAlive);
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
