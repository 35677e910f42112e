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

/** What the kill suites share: their platform, free ports, settings, waiting and SQL counts. */
final class ChaosSupport {
  private ChaosSupport() {}

  /** The embedded platform of a suite, data under {@code work/strata}, the shipped realm. */
  static PlatformConfig platformConfig(Path work, Path dist, Component... components) {
    return PlatformConfig.forTests(
        work.resolve("strata"),
        dist,
        Path.of("deploy/keycloak/strata-realm.json"),
        EnumSet.copyOf(List.of(components)));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A setting from the environment, {@code fallback} when unset or blank. */
  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Waits for the condition, looking every 200 ms, at most {@code ceiling}. */
  static void await(BooleanSupplier condition, String what, Duration ceiling)
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
  static Connection connect(String jdbc, Platform platform) throws SQLException {
    Connection c =
        DriverManager.getConnection(jdbc, platform.postgresUser(), platform.postgresPassword());
    c.setReadOnly(true);
    return c;
  }

  /** One count(*) of {@code sql}; -1 when the database does not answer. */
  static int count(Connection c, String sql, String... params) {
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
}
