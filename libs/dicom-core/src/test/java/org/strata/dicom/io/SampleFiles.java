package org.strata.dicom.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real DICOM samples Debian's python3-pydicom ships (test_files, charset_files, palettes). */
final class SampleFiles {

  static final Path ROOT = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
  static final List<String> DIRECTORIES = List.of("test_files", "charset_files", "palettes");
  private static final List<String> NOT_DICOM =
      List.of(".txt", ".json", ".gz", ".dump", ".md", ".py");

  private SampleFiles() {}

  static boolean present() {
    return Files.isDirectory(ROOT.resolve("test_files"));
  }

  /** Every sample that is meant to be DICOM (documentation and JSON files left out), sorted. */
  static List<Path> all() throws IOException {
    try (Stream<Path> s =
        DIRECTORIES.stream()
            .map(ROOT::resolve)
            .filter(Files::isDirectory)
            .flatMap(SampleFiles::walk)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> NOT_DICOM.stream().noneMatch(ext -> p.getFileName().toString().endsWith(ext)))
          .sorted()
          .toList();
    }
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String name(Path file) {
    return ROOT.relativize(file).toString();
  }
}
