package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Debian's DCMTK as the independent judge of what WADO returns. */
final class Dcmtk {
  private Dcmtk() {}

  static boolean present() {
    return Files.isExecutable(Path.of("/usr/bin/dcmdump"));
  }

  /** Runs a command and returns its output; fails the test if it exits with an error. */
  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  /** The Transfer Syntax UID dcmdump reads from the file meta information. */
  static String transferSyntax(Path file) throws Exception {
    for (String line : run("dcmdump", "-q", "-Un", "-M", file.toString()).split("\n")) {
      if (line.startsWith("(0002,0010)")) {
        return line.replaceAll("^.*\\[(.*?)\\].*$", "$1").strip();
      }
    }
    throw new AssertionError("no transfer syntax in " + file);
  }

  /**
   * dcmdump's attributes without group 0002, Pixel Data, padding and delimiters, lengths and the
   * sequence encoding left out (defined or undefined lengths are a writer's choice).
   */
  static List<String> attributes(Path file) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String line : run("dcmdump", "-q", "+L", "-Un", file.toString()).split("\n")) {
      String l = line.strip();
      if (l.isEmpty()
          || l.startsWith("#")
          || l.startsWith("(0002,")
          || l.startsWith("(7fe0,0010)")
          || l.startsWith("(fffc,fffc)")
          || l.startsWith("(fffe,e00d)")
          || l.startsWith("(fffe,e0dd)")) {
        continue;
      }
      String v = l.replaceAll("\\s+#\\s*(\\d+|u/l), *\\d+ .*$", "");
      lines.add(v.replaceAll("with (explicit|undefined) length ", "").replaceAll(" +", " "));
    }
    assertTrue(lines.size() > 10, "dcmdump read " + file);
    return lines;
  }

  /** The raw pixel data dcmdump writes with {@code +W} (little endian for native files). */
  static byte[] pixels(Path file, Path workDir) throws Exception {
    Path out = Files.createTempDirectory(workDir, "raw");
    run("dcmdump", "-q", "+W", out.toString(), file.toString());
    try (var files = Files.list(out)) {
      List<Path> raw = files.filter(p -> p.toString().endsWith(".raw")).sorted().toList();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (Path p : raw) {
        all.write(Files.readAllBytes(p));
      }
      assertTrue(all.size() > 0, "pixel data of " + file);
      return all.toByteArray();
    }
  }

  static void assertSameLines(List<String> expected, List<String> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ": line " + i);
    }
    assertEquals(expected.size(), actual.size(), what + ": lines");
  }

  /** Largest difference of two byte arrays of the same length, as unsigned samples. */
  static int maxDifference(byte[] a, byte[] b) {
    assertEquals(a.length, b.length, "lengths");
    int max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
    }
    return max;
  }
}
