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
  private static final String SCHEMA = "index_schema_contract";
  private static final List<Class<?>> TABLES =
      List.of(
          PatientTable.class,
          StudyTable.class,
          SeriesTable.class,
          InstanceTable.class,
          ObjectLocationTable.class,
          InstanceMetadataTable.class,
          PatientLinkMemberTable.class);

  private static Platform platform;

  @BeforeAll
  static void migrate(Platform p) throws Exception {
    platform = p;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + SCHEMA + " cascade");
      s.execute("create schema " + SCHEMA);
    }
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      IndexMigrations.apply(c);
      c.commit();
    }
  }

  /** A connection to a schema of its own (pg_trgm may already live in public). */
  private static Connection connect() throws Exception {
    Connection c =
        DriverManager.getConnection(
            platform.jdbcUrl("postgres"), platform.postgresUser(), platform.postgresPassword());
    try (Statement s = c.createStatement()) {
      s.execute("set search_path to " + SCHEMA + ", public");
    }
    return c;
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
  void readHelpersAreValidSqlOnTheSchema() throws Exception {
    String sql =
        "select "
            + IndexJoins.columns("i", InstanceTable.SOP_INSTANCE_UID, InstanceTable.SOP_CLASS_UID)
            + " from "
            + StudyTable.NAME
            + " st"
            + IndexJoins.patientOfStudy("p", "st")
            + IndexJoins.seriesOfStudy("se", "st")
            + IndexJoins.instancesOfSeries("i", "se")
            + IndexJoins.seriesOfInstance("se2", "i")
            + IndexJoins.studyOfSeries("st2", "se2")
            + IndexJoins.locationOfInstance("l", "i")
            + IndexJoins.metadataOfInstance("m", "i")
            + StudyTable.newestFirst("st")
            + ", "
            + SeriesTable.byNumber("se")
            + ", "
            + InstanceTable.byNumber("i");
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertFalse(rs.next());
    }
  }

  private static Set<String> columns(Connection c, String table) throws Exception {
    Set<String> names = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select column_name from information_schema.columns where table_schema = ? and"
                + " table_name = ?")) {
      ps.setString(1, SCHEMA);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}
