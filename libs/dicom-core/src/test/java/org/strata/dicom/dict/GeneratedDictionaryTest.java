package org.strata.dicom.dict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed dictionary (elements.tsv, uids.tsv, Tag.java, UID.java) is exactly what
 * tools/generate_dictionary.py writes from the pydicom tables installed here: nobody edited the
 * generated files by hand, and the generator still runs.
 */
class GeneratedDictionaryTest {

  private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom");
  private static final List<String> GENERATED =
      List.of(
          "src/main/resources/org/strata/dicom/dict/elements.tsv",
          "src/main/resources/org/strata/dicom/dict/uids.tsv",
          "src/main/java/org/strata/dicom/Tag.java",
          "src/main/java/org/strata/dicom/UID.java");

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  @Test
  void regeneratingGivesTheCommittedFiles(@TempDir Path out) throws Exception {
    assumeTrue(Files.isRegularFile(PYDICOM.resolve("_dicom_dict.py")), "python3-pydicom missing");
    assumeTrue(onPath("python3"), "python3 missing");
    Path script = moduleDir().resolve("tools/generate_dictionary.py");
    Process p =
        new ProcessBuilder(
                "python3",
                script.toString(),
                "--pydicom",
                PYDICOM.toString(),
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "generator did not finish");
    assertEquals(0, p.exitValue(), log);
    for (String file : GENERATED) {
      assertArrayEquals(
          Files.readAllBytes(moduleDir().resolve(file)),
          Files.readAllBytes(out.resolve(file)),
          file + " differs from the generator output: rerun tools/generate_dictionary.py");
    }
    try (Stream<Path> s = Files.walk(out)) {
      assertEquals(
          GENERATED.size(),
          s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).count(),
          "the generator writes other files than the test knows");
    }
  }

  private static boolean onPath(String command) throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
