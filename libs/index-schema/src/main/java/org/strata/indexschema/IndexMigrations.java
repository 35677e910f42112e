package org.strata.indexschema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The Flyway migrations that create the index schema, as resources of this library under {@link
 * #LOCATION}. The index service runs them with Flyway at start-up ({@code
 * quarkus.flyway.locations}); readers' tests and the benchmark apply them with {@link #apply} to
 * start from the real schema.
 */
public final class IndexMigrations {
  /**
   * The classpath folder of the migrations (not {@code db/migration}: a service that reads the
   * index and has migrations of its own must not run the index's).
   */
  public static final String LOCATION = "db/index-schema";

  /**
   * Every migration, in version order. A new migration is added here too: {@code
   * IndexMigrationsTest} fails when this list and the folder differ.
   */
  public static final List<String> SCRIPTS =
      List.of(
          "V1__index.sql",
          "V2__attributes_objects_and_newest_first_dates.sql",
          "V3__patient_links.sql",
          "V4__rebuild_jobs.sql",
          "V5__access_labels.sql",
          "V6__legal_holds.sql",
          "V7__instance_metadata.sql");

  private IndexMigrations() {}

  /** The SQL text of one migration of {@link #SCRIPTS}. */
  public static String script(String name) {
    String resource = LOCATION + "/" + name;
    try (InputStream in = IndexMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no migration " + resource + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies every migration in order on an empty database, in the connection's current transaction
   * mode (without Flyway's history table: for tests and benchmarks, never for the index's own
   * database).
   */
  public static void apply(Connection connection) throws SQLException {
    for (String name : SCRIPTS) {
      try (Statement s = connection.createStatement()) {
        s.execute(script(name));
      }
    }
  }
}
