package org.strata.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keycloak from {@code org.keycloak:keycloak-quarkus-dist}, its realm imported from {@code
 * deploy/keycloak/strata-realm.json}, its state in the platform's PostgreSQL.
 *
 * <p>The distribution is built once for PostgreSQL ({@code kc.sh build}); each platform then runs
 * it from a home of its own, hard-linked from the built distribution, so that several platforms (a
 * {@code make run} and a test run) never share Keycloak's working files.
 */
final class KeycloakServer implements Server {
  /** Build-time options; a change rebuilds the distribution. */
  private static final List<String> BUILD_OPTIONS =
      List.of("--db=postgres", "--health-enabled=true", "--http-relative-path=/");

  private final PlatformConfig config;
  private final PostgresServer postgres;
  private final Path dir;
  private final int port;
  private final int managementPort;
  private ManagedProcess process;

  KeycloakServer(PlatformConfig config, PostgresServer postgres) {
    this.config = config;
    this.postgres = postgres;
    this.dir = config.dataDir().resolve("keycloak");
    this.port = Ports.resolve(config.keycloakPort(), config.host());
    this.managementPort = Ports.resolve(config.keycloakManagementPort(), config.host());
  }

  @Override
  public String name() {
    return "keycloak";
  }

  String url() {
    return "http://" + config.host() + ":" + port;
  }

  String realmUrl() {
    return url() + "/realms/strata";
  }

  @Override
  public void start() {
    Ports.requireFree(config.host(), port, "Keycloak");
    Ports.requireFree(config.host(), managementPort, "Keycloak management");
    try {
      Path dist = distribution();
      buildOnce(dist);
      Path home = dir.resolve("home");
      linkHome(dist, home);
      Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
      Files.copy(
          config.keycloakRealmFile(),
          imports.resolve("strata-realm.json"),
          StandardCopyOption.REPLACE_EXISTING);
      List<String> command =
          List.of(
              home.resolve("bin").resolve("kc.sh").toString(),
              "start",
              "--optimized",
              "--http-enabled=true",
              "--http-host=" + config.host(),
              "--http-port=" + port,
              "--http-management-port=" + managementPort,
              "--hostname-strict=false",
              "--db-url=" + postgres.jdbcUrl("keycloak"),
              "--db-username=" + config.postgresUser(),
              "--db-password=" + config.postgresPassword(),
              "--import-realm");
      process =
          ManagedProcess.start(
              name(), command, dir, dir.resolve("keycloak.log"), environment(), "TERM", null);
      Waits.until(process, Duration.ofSeconds(240), this::ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean ready() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(
                URI.create("http://" + config.host() + ":" + managementPort + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  @Override
  public ManagedProcess process() {
    return process;
  }

  private Map<String, String> environment() {
    return Map.of(
        "JAVA_HOME", javaHome(),
        "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
        // Only used the first time, to create the master realm's admin.
        "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
        "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
  }

  private static String javaHome() {
    String javaBin = ProcessHandle.current().info().command().orElseThrow();
    return Path.of(javaBin).getParent().getParent().toString();
  }

  private Path distribution() throws IOException {
    try (Stream<Path> entries = Files.list(config.distDir())) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("keycloak-"))
          .filter(p -> Files.isExecutable(p.resolve("bin").resolve("kc.sh")))
          .findFirst()
          .orElseThrow(
              () ->
                  new PlatformException(
                      "Keycloak not found in "
                          + config.distDir()
                          + ": build libs/platform-dist first (make build)"));
    }
  }

  /** Runs {@code kc.sh build} in the shared distribution once, under a file lock. */
  private void buildOnce(Path dist) throws IOException {
    Path marker = dist.resolve(".strata-build");
    String wanted = String.join(" ", BUILD_OPTIONS);
    try (FileChannel lockFile =
            FileChannel.open(
                dist.resolve(".strata-build.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (Files.exists(marker) && Files.readString(marker).equals(wanted)) {
        return;
      }
      List<String> command = new java.util.ArrayList<>();
      command.add(dist.resolve("bin").resolve("kc.sh").toString());
      command.add("build");
      command.addAll(BUILD_OPTIONS);
      ManagedProcess build =
          ManagedProcess.start(
              "keycloak-build",
              command,
              dist,
              dir.resolve("keycloak-build.log"),
              environment(),
              "TERM",
              null);
      build.awaitExit(Duration.ofSeconds(300));
      if (!build.logTail(50).contains("Server configuration updated")) {
        throw new PlatformException("kc.sh build failed:\n" + build.logTail(30));
      }
      Files.writeString(marker, wanted);
    }
  }

  /**
   * A private Keycloak home: hard links to the built distribution's files (cheap, and Keycloak
   * never rewrites them when started with --optimized), a private {@code data} directory.
   */
  private static void linkHome(Path dist, Path home) throws IOException {
    Path marker = home.resolve(".strata-linked-from");
    String source =
        dist.toRealPath() + "@" + Files.getLastModifiedTime(dist.resolve(".strata-build"));
    if (Files.exists(marker) && Files.readString(marker).equals(source)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dist)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path relative = dist.relativize(from);
        if (relative.startsWith("data") || relative.toString().startsWith(".strata-build")) {
          continue;
        }
        Path to = home.resolve(relative.toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
          continue;
        }
        Files.deleteIfExists(to);
        try {
          Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
          if (e instanceof FileAlreadyExistsException) {
            throw e;
          }
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    Files.writeString(marker, source);
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(60));
    }
  }

  @Override
  public long residentBytes() {
    return process == null ? -1 : process.residentBytes();
  }

  @Override
  public Map<String, String> addresses() {
    return Map.of(
        "strata.keycloak.url", url(),
        "strata.oidc.auth-server-url", realmUrl());
  }
}
