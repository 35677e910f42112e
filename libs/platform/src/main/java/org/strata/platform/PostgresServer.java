package org.strata.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server from Debian's {@code postgresql} package, with its cluster under the data
 * directory. PostgreSQL refuses to run as root, so when we are root the cluster belongs to the
 * {@code postgres} system user that the package creates, and the server runs as that user.
 */
final class PostgresServer implements Server {
  private static final String SYSTEM_USER = "postgres";

  private final PlatformConfig config;
  private final Path dir;
  private final Path pgdata;
  private final int port;
  private Path bin;
  private final String runAs;
  private ManagedProcess process;

  PostgresServer(PlatformConfig config) {
    this.config = config;
    this.dir = config.dataDir().resolve("postgres");
    this.pgdata = dir.resolve("data");
    this.port = Ports.resolve(config.postgresPort(), config.host());
    this.runAs = isRoot() ? SYSTEM_USER : null;
  }

  @Override
  public String name() {
    return "postgres";
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://" + config.host() + ":" + port + "/" + database;
  }

  @Override
  public void start() {
    Ports.requireFree(config.host(), port, "PostgreSQL");
    bin = findBinaries();
    try {
      Files.createDirectories(dir);
      if (runAs != null) {
        openForServerUser(config.dataDir(), dir);
        chown(dir);
      }
      if (!Files.exists(pgdata.resolve("PG_VERSION"))) {
        initdb();
      }
      List<String> command =
          List.of(
              bin.resolve("postgres").toString(),
              "-D",
              pgdata.toString(),
              "-p",
              Integer.toString(port),
              "-c",
              "listen_addresses=" + config.host(),
              // No Unix socket: its path length limit breaks deep data directories.
              "-c",
              "unix_socket_directories=",
              "-c",
              "max_connections=200",
              "-c",
              "logging_collector=off");
      process =
          ManagedProcess.start(
              name(), command, dir, dir.resolve("postgres.log"), Map.of(), "INT", runAs);
      Waits.until(process, Duration.ofSeconds(60), this::ready);
      for (String database : config.databases()) {
        createDatabase(database);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean ready() {
    return query("postgres", "select 1") != null;
  }

  @Override
  public ManagedProcess process() {
    return process;
  }

  private void initdb() throws IOException {
    Path pwfile = dir.resolve("initdb.pw");
    Files.writeString(pwfile, config.postgresPassword() + "\n");
    if (runAs != null) {
      chown(pwfile);
    }
    List<String> command =
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            pgdata.toString(),
            "-U",
            config.postgresUser(),
            "--pwfile=" + pwfile,
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--no-locale");
    ManagedProcess initdb =
        ManagedProcess.start(
            "initdb", command, dir, dir.resolve("initdb.log"), Map.of(), "TERM", runAs);
    initdb.awaitExit(Duration.ofSeconds(120));
    Files.deleteIfExists(pwfile);
    if (!Files.exists(pgdata.resolve("PG_VERSION"))) {
      throw new PlatformException("initdb failed:\n" + initdb.logTail(30));
    }
  }

  private void createDatabase(String database) {
    Object exists =
        query("postgres", "select 1 from pg_database where datname = '" + database + "'");
    if (exists == null || "none".equals(exists)) {
      execute("postgres", "create database \"" + database + "\"");
    }
  }

  /** The first column of the first row, "none" when there is no row. */
  Object query(String database, String sql) {
    try (Connection c =
            DriverManager.getConnection(
                jdbcUrl(database), config.postgresUser(), config.postgresPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : "none";
    } catch (Exception e) {
      throw new PlatformException("PostgreSQL query failed: " + e.getMessage(), e);
    }
  }

  private void execute(String database, String sql) {
    try (Connection c =
            DriverManager.getConnection(
                jdbcUrl(database), config.postgresUser(), config.postgresPassword());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (Exception e) {
      throw new PlatformException("PostgreSQL statement failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    // A fast shutdown: roll back open transactions, checkpoint, exit. The guard's SIGINT does it.
    process.stop(Duration.ofSeconds(60));
  }

  @Override
  public long residentBytes() {
    return process == null ? -1 : process.residentBytes();
  }

  @Override
  public Map<String, String> addresses() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("strata.postgres.jdbc-url", jdbcUrl("strata"));
    map.put(
        "strata.postgres.reactive-url", "postgresql://" + config.host() + ":" + port + "/strata");
    map.put("strata.postgres.username", config.postgresUser());
    map.put("strata.postgres.password", config.postgresPassword());
    return map;
  }

  /** The newest PostgreSQL of Debian's packages, or {@code STRATA_POSTGRES_BIN}. */
  private static Path findBinaries() {
    String override = System.getenv("STRATA_POSTGRES_BIN");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path found =
            versions
                .map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("postgres")))
                .max(Comparator.comparingInt(PostgresServer::majorVersion))
                .orElse(null);
        if (found != null) {
          return found;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new PlatformException(
        "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's"
            + " postgresql package (deploy/scripts/install-debian-deps.sh does) or set"
            + " STRATA_POSTGRES_BIN");
  }

  private static int majorVersion(Path binDir) {
    try {
      return Integer.parseInt(binDir.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The postgres user must be able to walk down to its data directory: the platform's own
   * directories are opened for traversal (o+x), the ones above must already be.
   */
  private static void openForServerUser(Path platformDir, Path path) throws IOException {
    Path top = platformDir.toAbsolutePath();
    for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (p.startsWith(top)) {
        Set<PosixFilePermission> perms = new java.util.HashSet<>(Files.getPosixFilePermissions(p));
        if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
          Files.setPosixFilePermissions(p, perms);
        }
        continue;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new PlatformException(
            "PostgreSQL runs as the '"
                + SYSTEM_USER
                + "' user, which cannot enter "
                + p
                + " (mode "
                + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                + "): put the data directory elsewhere (STRATA_DATA_DIR) or chmod o+x "
                + p);
      }
    }
  }

  private static void chown(Path path) throws IOException {
    List<String> command = new ArrayList<>(List.of("chown", "-R", SYSTEM_USER + ":", "" + path));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new PlatformException("chown of " + path + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted", e);
    }
  }
}
