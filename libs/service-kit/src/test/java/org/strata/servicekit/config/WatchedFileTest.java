package org.strata.servicekit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched file of numbers, one per line, each at most 100 (the reader refuses anything else, as
 * routing's and storage-tiering's readers refuse a rule or policy that does not validate).
 */
class WatchedFileTest {
  @TempDir Path dir;

  private static int sum(Path file) throws IOException {
    int sum = 0;
    for (String line : Files.readAllLines(file)) {
      int n = Integer.parseInt(line.trim());
      if (n > 100) {
        throw new IllegalArgumentException("line value above 100");
      }
      sum += n;
    }
    return sum;
  }

  /** An edit as an editor makes it, with a later modification time than the last one. */
  private static void edit(Path file, String content, int second) throws IOException {
    Files.writeString(file, content);
    Files.setLastModifiedTime(
        file, FileTime.from(Instant.parse("2026-12-07T20:00:00Z").plusSeconds(second)));
  }

  @Test
  void anEditIsTakenABrokenOneRefusedAsAWholeAndTheVersionInForceKept() throws Exception {
    Path file = dir.resolve("numbers");
    edit(file, "1\n2\n", 0);
    try (WatchedFile<Integer> watched = WatchedFile.load(file, "numbers", WatchedFileTest::sum)) {
      assertEquals(3, watched.current());
      assertFalse(watched.reloadIfChanged(), "unchanged: nothing read");

      edit(file, "1\n2\n3\n", 1);
      assertTrue(watched.reloadIfChanged());
      assertEquals(6, watched.current());
      assertNull(watched.lastError());

      // One good line and one bad: nothing of it is taken.
      edit(file, "4\n500\n", 2);
      assertFalse(watched.reloadIfChanged());
      assertEquals(6, watched.current());
      assertEquals("line value above 100", watched.lastError());
      assertFalse(watched.reloadIfChanged(), "the same bad version is not read again");
      assertEquals("line value above 100", watched.lastError());

      edit(file, "x\n", 3);
      assertFalse(watched.reloadIfChanged());
      assertEquals(6, watched.current());

      edit(file, "10\n", 4);
      assertTrue(watched.reloadIfChanged());
      assertEquals(10, watched.current());
      assertNull(watched.lastError());
    }
  }

  @Test
  void theServicesOwnWriteIsInForceAndNotReadAgainAsAnEdit() throws Exception {
    Path file = dir.resolve("numbers");
    edit(file, "5\n", 0);
    try (WatchedFile<Integer> watched = WatchedFile.load(file, "numbers", WatchedFileTest::sum)) {
      int now =
          watched.change(
              current -> {
                Files.writeString(file, current + "\n7\n");
                return current + 7;
              });
      assertEquals(12, now);
      assertEquals(12, watched.current());
      assertFalse(watched.reloadIfChanged(), "its own write is not an edit");
    }
  }

  @Test
  void aFileThatDoesNotReadAtStartStopsTheStart() throws Exception {
    Path file = dir.resolve("numbers");
    edit(file, "500\n", 0);
    assertThrows(
        IllegalArgumentException.class,
        () -> WatchedFile.load(file, "numbers", WatchedFileTest::sum));
  }
}
