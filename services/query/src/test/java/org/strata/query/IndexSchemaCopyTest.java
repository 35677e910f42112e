package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The query tests create the index schema from a copy of the index service's migration; this test
 * fails as soon as the index changes its schema, so the copy (and query's SQL) follow.
 */
class IndexSchemaCopyTest {
  private static final String COPY_HEADER = "-- COPY of ";

  @Test
  void theTestSchemaIsTheIndexMigration() throws Exception {
    // Surefire runs in the module's directory (services/query).
    Path migration = Path.of("../index/src/main/resources/db/migration/V1__index.sql");
    Path copy = Path.of("src/test/resources/db/index-schema.sql");
    assertTrue(
        Files.exists(migration), "index migration not found at " + migration.toAbsolutePath());
    String index = Files.readString(migration, StandardCharsets.UTF_8);
    String ours = Files.readString(copy, StandardCharsets.UTF_8);

    assertTrue(ours.startsWith(COPY_HEADER), "the copy starts with its COPY comment");
    // The copy is its comment header (lines starting with "-- ") followed by the migration
    // verbatim.
    int start = 0;
    while (ours.startsWith("-- ", start) && !ours.startsWith(index, start)) {
      start = ours.indexOf('\n', start) + 1;
    }
    assertEquals(index, ours.substring(start), "db/index-schema.sql differs from V1__index.sql");
  }
}
