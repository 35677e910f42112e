package org.strata.indexschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The migration list is the migration folder, in Flyway's version order. */
class IndexMigrationsTest {
  @Test
  void listNamesEveryMigrationOfTheFolderInVersionOrder() throws Exception {
    List<String> folder;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources", IndexMigrations.LOCATION))) {
      folder =
          files
              .map(f -> f.getFileName().toString())
              .sorted(Comparator.comparingInt(IndexMigrationsTest::version))
              .toList();
    }
    assertEquals(folder, IndexMigrations.SCRIPTS);
  }

  @Test
  void everyScriptIsOnTheClasspath() {
    for (String name : IndexMigrations.SCRIPTS) {
      assertTrue(IndexMigrations.script(name).contains(";"), name);
    }
  }

  private static int version(String name) {
    return Integer.parseInt(name.replaceAll("^V([0-9]+)__.*\\.sql$", "$1"));
  }
}
