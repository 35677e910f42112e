package org.strata.dicom.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Debian's python3-pydicom sample files. */
final class SampleFiles {
  static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private SampleFiles() {}

  static boolean available() {
    return Files.isDirectory(TEST_FILES);
  }

  /** Regular files directly in test_files, sorted. */
  static List<Path> topLevel() throws IOException {
    try (Stream<Path> s = Files.list(TEST_FILES)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The data set bytes of a Part 10 file (everything after the file meta information). */
  static byte[] dataset(Part10File f) throws IOException {
    byte[] all = Files.readAllBytes(f.path());
    return java.util.Arrays.copyOfRange(all, (int) f.datasetOffset(), all.length);
  }
}
