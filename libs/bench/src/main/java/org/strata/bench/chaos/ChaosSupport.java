package org.strata.bench.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * What the kill suites and the routing benchmark share: their platform, packaged services, free
 * ports, settings, waiting, SQL counts and routing's rules file.
 */
public final class ChaosSupport {
  private ChaosSupport() {}

  /** The embedded platform of a suite, data under {@code work/strata}, the shipped realm. */
  public static PlatformConfig platformConfig(Path work, Path dist, Component... components) {
    return PlatformConfig.forTests(
        work.resolve("strata"),
        dist,
        Path.of("deploy/keycloak/strata-realm.json"),
        EnumSet.copyOf(List.of(components)));
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A setting from the environment, {@code fallback} when unset or blank. */
  public static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Waits for the condition, looking every 200 ms, at most {@code ceiling}. */
  public static void await(BooleanSupplier condition, String what, Duration ceiling)
      throws InterruptedException {
    long deadline = System.nanoTime() + ceiling.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + ceiling + ": " + what);
      }
      Thread.sleep(200);
    }
  }

  /** A read-only connection to the platform's database. */
  public static Connection connect(String jdbc, Platform platform) throws SQLException {
    Connection c =
        DriverManager.getConnection(jdbc, platform.postgresUser(), platform.postgresPassword());
    c.setReadOnly(true);
    return c;
  }

  /** One count(*) of {@code sql}; -1 when the database does not answer. */
  public static int count(Connection c, String sql, String... params) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      return -1;
    }
  }

  /**
   * A service of the build ({@code services/<name>}, packaged as under {@code make run}) on a free
   * HTTP port.
   */
  public static ServiceProcess packagedService(String name) throws IOException {
    return new ServiceProcess(
        name, freePort(), Path.of("services/" + name + "/target/quarkus-app/quarkus-run.jar"));
  }

  /**
   * Routing's rules file with one destination (a C-STORE SCP on 127.0.0.1, {@code parallelism}
   * associations at once) and one enabled rule sending it every instance: with {@code quietPeriod}
   * a STUDY rule (each study once quiet for that long), without (null) an INSTANCE rule (each
   * instance as it is stored).
   */
  public static String routingRules(
      String destination, String aeTitle, int port, int parallelism, Duration quietPeriod) {
    String trigger =
        quietPeriod == null
            ? "trigger: INSTANCE"
            : "trigger: STUDY\n    quietPeriod: " + quietPeriod;
    return """
        version: 1
        destinations:
          - name: %s
            dimse: {aeTitle: %s, host: 127.0.0.1, port: %d}
            parallelism: %d
        rules:
          - id: everything
            enabled: true
            when: 'true'
            %s
            destination: %s
            priority: ROUTINE
        """
        .formatted(destination, aeTitle, port, parallelism, trigger, destination);
  }
}
