package org.strata.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code make run}'s one DICOMweb base URL: Debian's nginx in the foreground with its own prefix
 * under {@code var/nginx}, routing STOW-RS {@code POST}s to ingest and everything read-only to
 * query (see {@code deploy/nginx/strata.conf.template}), and serving the OHIF viewer on the same
 * origin ({@link Viewer}, ADR 0028). Tests start one on a free port.
 */
public final class DicomwebProxy {
  static final String HOST = "127.0.0.1";

  /** {@code make run}'s port. */
  public static final int RUN_PORT = 8080;

  /** The realm URL that {@code deploy/ohif/app-config.js} names, replaced when served. */
  static final String APP_CONFIG_AUTHORITY = "'http://127.0.0.1:18080/realms/strata'";

  /**
   * The OHIF viewer's built files ({@code deploy/scripts/fetch-ohif.sh}), Strata's {@code
   * app-config.js} for it, and the realm URL to write into that configuration.
   */
  public record Viewer(Path dist, Path appConfig, String oidcAuthority) {}

  /** Ingest's {@code quarkus.http.limits.max-body-size} in {@code make run}. */
  private static final String MAX_BODY = "20g";

  private final Path nginx;
  private final Path template;
  private final int port;
  private ManagedProcess process;
  private Duration startup = Duration.ZERO;

  private DicomwebProxy(Path nginx, Path template, int port) {
    this.nginx = nginx;
    this.template = template;
    this.port = port;
  }

  /**
   * The proxy on {@code port}, or empty when no nginx binary is installed (STRATA_NGINX, /usr/sbin,
   * PATH).
   */
  public static Optional<DicomwebProxy> find(String nginxOverride, Path template, int port) {
    Stream<Path> candidates =
        nginxOverride != null && !nginxOverride.isBlank()
            ? Stream.of(Path.of(nginxOverride))
            : Stream.concat(
                Stream.of(Path.of("/usr/sbin/nginx")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .filter(dir -> !dir.isBlank())
                    .map(dir -> Path.of(dir, "nginx")));
    return candidates
        .filter(Files::isExecutable)
        .findFirst()
        .map(path -> new DicomwebProxy(path, template.toAbsolutePath(), port));
  }

  /** Where the viewer is served, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    return "http://" + HOST + ":" + port + "/";
  }

  /** The DICOMweb base URL, e.g. {@code http://127.0.0.1:8080/dicomweb}. */
  public String baseUrl() {
    return "http://" + HOST + ":" + port + "/dicomweb";
  }

  Duration startup() {
    return startup;
  }

  long residentBytes() {
    return process == null ? -1 : process.residentBytes();
  }

  /**
   * Writes the configuration, starts nginx and waits until QIDO answers through it (any status but
   * a gateway error: in the required auth mode QIDO without a token is 401). Without a viewer, the
   * root serves a page saying how to get one.
   */
  public void start(
      Path dataDir, String ingestAddress, String queryAddress, Optional<Viewer> viewer) {
    Ports.requireFree(HOST, port, "nginx (DICOMweb base URL)");
    long t0 = System.nanoTime();
    Path prefix = dataDir.resolve("nginx");
    Path conf = prefix.resolve("conf").resolve("strata.conf");
    try {
      for (String dir :
          List.of(
              "conf",
              "logs",
              "run",
              "temp/client_body",
              "temp/proxy",
              "temp/fastcgi",
              "temp/uwsgi",
              "temp/scgi")) {
        Files.createDirectories(prefix.resolve(dir));
      }
      Path viewerDir = Files.createDirectories(prefix.resolve("viewer"));
      Path appConfig = viewerDir.resolve("app-config.js");
      Path viewerRoot = viewer.isPresent() ? viewer.get().dist().toAbsolutePath() : viewerDir;
      if (viewer.isPresent()) {
        Files.writeString(appConfig, appConfig(viewer.get()), StandardCharsets.UTF_8);
      } else {
        Files.writeString(
            viewerDir.resolve("index.html"),
            "<!doctype html><title>Strata</title><p>The OHIF viewer is not installed:"
                + " deploy/scripts/fetch-ohif.sh var/ohif, then restart make run.</p>\n");
        Files.writeString(appConfig, "window.config = {};\n");
      }
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        giveTempDirsToNobody(prefix.resolve("temp"));
      }
      String text =
          Files.readString(template, StandardCharsets.UTF_8)
              .replace(
                  "@USER_DIRECTIVE@",
                  root
                      ? "user nobody nogroup;  # workers drop root; they only write temp/"
                      : "# (not root: workers run as the current user)")
              .replace("@PREFIX@", prefix.toString())
              .replace("@LISTEN@", HOST + ":" + port)
              .replace("@VIEWER_ROOT@", viewerRoot.toString())
              .replace("@VIEWER_CONFIG@", appConfig.toString())
              .replace("@INGEST@", ingestAddress)
              .replace("@QUERY@", queryAddress)
              .replace("@MAX_BODY@", MAX_BODY);
      Files.writeString(conf, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PlatformException("cannot write the nginx configuration: " + e.getMessage(), e);
    }
    List<String> command =
        List.of(
            nginx.toString(),
            "-p",
            prefix + "/",
            "-e",
            prefix.resolve("logs/error.log").toString(),
            "-c",
            conf.toString(),
            "-g",
            "daemon off;");
    // TERM is nginx's fast shutdown; the services behind it are stopped right after anyway.
    process =
        ManagedProcess.start(
            "nginx", command, prefix, prefix.resolve("logs/nginx.log"), Map.of(), "TERM", null);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest qido =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/studies"))
            .header("Accept", "application/dicom+json")
            .timeout(Duration.ofSeconds(5))
            .build();
    Waits.until(
        process,
        Duration.ofSeconds(30),
        () -> {
          int status = http.send(qido, HttpResponse.BodyHandlers.discarding()).statusCode();
          return status == 200 || status == 204 || status == 401;
        });
    startup = Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Strata's app-config.js with this platform's realm URL in place of make run's. */
  private static String appConfig(Viewer viewer) throws IOException {
    String text = Files.readString(viewer.appConfig(), StandardCharsets.UTF_8);
    if (!text.contains(APP_CONFIG_AUTHORITY)) {
      throw new PlatformException(
          viewer.appConfig() + " no longer names " + APP_CONFIG_AUTHORITY + ", which is replaced");
    }
    return text.replace(APP_CONFIG_AUTHORITY, "'" + viewer.oidcAuthority() + "'");
  }

  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
    }
  }

  /** nginx starts its workers as nobody when the master is root; they may need temp/. */
  private static void giveTempDirsToNobody(Path temp) {
    try (Stream<Path> dirs = Files.walk(temp)) {
      UserPrincipalLookupService lookup = temp.getFileSystem().getUserPrincipalLookupService();
      var nobody = lookup.lookupPrincipalByName("nobody");
      GroupPrincipal nogroup = lookup.lookupPrincipalByGroupName("nogroup");
      for (Path dir : dirs.toList()) {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(nobody);
        view.setGroup(nogroup);
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: with streaming in both directions nginx rarely writes temp files.
    }
  }
}
