package org.strata.indexschema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.UsesPlatform;

/**
 * The names readers use are the names the migrations create: every table and column constant of the
 * contract classes exists in a database made by {@link IndexMigrations#apply}.
 */
@UsesPlatform(Component.POSTGRES)
class IndexSchemaContractTest {
  private static final String DB = "index_schema_contract";
  private static final List<Class<?>> TABLES =
      List.of(
          PatientTable.class,
          StudyTable.class,
          SeriesTable.class,
          InstanceTable.class,
          ObjectLocationTable.class,
          PatientLinkMemberTable.class);

  private static Platform platform;

  @BeforeAll
  static void migrate(Platform p) throws Exception {
    platform = p;
    try (Connection c =
            DriverManager.getConnection(
                p.jdbcUrl("postgres"), p.postgresUser(), p.postgresPassword());
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DB);
      s.execute("create database " + DB);
    }
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      IndexMigrations.apply(c);
      c.commit();
    }
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection(
        platform.jdbcUrl(DB), platform.postgresUser(), platform.postgresPassword());
  }

  @Test
  void everyNamedColumnExists() throws Exception {
    int checked = 0;
    try (Connection c = connect()) {
      for (Class<?> table : TABLES) {
        String name = (String) table.getField("NAME").get(null);
        Set<String> columns = columns(c, name);
        assertTrue(!columns.isEmpty(), "no table " + name);
        for (Field f : table.getFields()) {
          if (Modifier.isStatic(f.getModifiers())
              && f.getType() == String.class
              && !f.getName().equals("NAME")) {
            String column = (String) f.get(null);
            assertTrue(columns.contains(column), name + "." + column + " (" + f.getName() + ")");
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 40, "checked " + checked);
  }

  @Test
  void newestFirstOrderIsValidSql() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select st.pk from study st" + StudyTable.newestFirst("st"))) {
      assertFalse(rs.next());
    }
  }

  private static Set<String> columns(Connection c, String table) throws Exception {
    Set<String> names = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select column_name from information_schema.columns where table_schema = 'public'"
                + " and table_name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}
