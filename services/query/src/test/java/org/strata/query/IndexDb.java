package org.strata.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.eclipse.microprofile.config.ConfigProvider;

/** JDBC access to the test platform's index database, shared by the test data sets. */
public final class IndexDb {
  private IndexDb() {}

  /** A connection with the datasource the Quarkus test resource configured. */
  public static Connection connect() throws Exception {
    var config = ConfigProvider.getConfig();
    return DriverManager.getConnection(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getValue("quarkus.datasource.username", String.class),
        config.getValue("quarkus.datasource.password", String.class));
  }

  /** Whether a data set of this tenant was already inserted by an earlier class of this JVM. */
  static boolean hasTenant(Connection c, String tenant) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("select count(*) from tenant where id = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    }
  }

  /** Runs an insert ... returning pk and gives the pk. */
  static long pk(PreparedStatement ps) throws Exception {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
