package org.strata.ingest;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.strata.ids.Uid;
import org.strata.storage.ObjectStore;

/**
 * Debian's python3-pydicom sample files as DCMTK's dcmdump (not our parser) sees them, and the
 * STOW-RS outcome each must get when all are sent in one request: shared by the tests that send
 * every sample (StowTest with REST Assured, DicomwebClientStowTest with the npm client), so both
 * expect the same whichever runs first on the shared platform.
 */
final class PydicomSamples {
  static final Path DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
  static final Path TEST_FILES = DATA.resolve("test_files");

  private PydicomSamples() {}

  /** What dcmdump says of a sample: the UIDs that decide where it is stored. */
  record Sample(Path file, byte[] bytes, boolean parsable, Map<String, String> uids) {
    boolean storable() {
      return parsable
          && Stream.of("0002,0010", "0008,0016", "0008,0018", "0020,000d", "0020,000e")
              .allMatch(t -> uids.get(t) != null && Uid.isValid(uids.get(t)));
    }

    String sop() {
      return uids.get("0008,0018");
    }

    String name() {
      return file.getFileName().toString();
    }

    String key(String tenant) {
      return tenant + "/" + uids.get("0020,000d") + "/" + uids.get("0020,000e") + "/" + sop();
    }
  }

  /** Every {@code .dcm} under pydicom's data directory, in path order. */
  static List<Sample> all() throws Exception {
    List<Sample> samples = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DATA)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
        samples.add(dcmdump(f));
      }
    }
    return samples;
  }

  /**
   * The sample whose bytes are stored under each object key after a request with all of them. The
   * parts of one request are stored several at a time (ADR 0017), and the test classes share one
   * platform, so of different objects under one SOP Instance UID (pydicom's liver and chrFren
   * variants) any may be the one kept: it must be one of them, byte for byte, and the others are
   * then refused.
   */
  static Map<String, Sample> kept(List<Sample> samples, ObjectStore store, String tenant)
      throws Exception {
    Map<String, List<Sample>> byKey = new LinkedHashMap<>();
    samples.stream()
        .filter(Sample::storable)
        .forEach(s -> byKey.computeIfAbsent(s.key(tenant), k -> new ArrayList<>()).add(s));
    Map<String, Sample> kept = new LinkedHashMap<>();
    for (var e : byKey.entrySet()) {
      String key = e.getKey() + ".dcm";
      if (store.stat(key).isEmpty()) {
        throw new AssertionError("no object " + key + " for " + e.getValue().get(0).name());
      }
      byte[] bytes;
      try (InputStream in = store.get(key)) {
        bytes = in.readAllBytes();
      }
      kept.put(
          e.getKey(),
          e.getValue().stream()
              .filter(s -> Arrays.equals(s.bytes(), bytes))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          key
                              + " holds none of "
                              + e.getValue().stream().map(Sample::name).toList())));
    }
    return kept;
  }

  /**
   * The Failure Reason each sample must get given what was kept (0: stored): not storable per
   * dcmdump 0xC000; the kept bytes (first store or duplicate) stored; different bytes under a kept
   * SOP Instance UID refused (0x0111).
   */
  static List<Integer> expectedStatuses(
      List<Sample> samples, Map<String, Sample> kept, String tenant) {
    List<Integer> expected = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.storable()) {
        expected.add(0xC000);
      } else {
        expected.add(Arrays.equals(kept.get(s.key(tenant)).bytes(), s.bytes()) ? 0 : 0x0111);
      }
    }
    return expected;
  }

  static Sample dcmdump(Path file) throws Exception {
    // The whole dump: top-level elements are the lines that are not indented.
    List<String> command = new ArrayList<>(List.of("dcmdump", "-q", "-Un", "+L"));
    command.add(file.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor(60, TimeUnit.SECONDS);
    Map<String, String> uids = new HashMap<>();
    Matcher m =
        Pattern.compile("(?m)^\\((\\p{XDigit}{4},\\p{XDigit}{4})\\) UI \\[([^\\]]*)\\]")
            .matcher(out);
    while (m.find()) {
      uids.putIfAbsent(m.group(1).toLowerCase(), m.group(2).replace("\0", "").trim());
    }
    // Some senders write UIDs with VR UN: dcmdump shows their bytes in hex.
    Matcher un =
        Pattern.compile("(?m)^\\((\\p{XDigit}{4},\\p{XDigit}{4})\\) UN ([0-9a-f\\\\]+)")
            .matcher(out);
    while (un.find()) {
      StringBuilder text = new StringBuilder();
      for (String hex : un.group(2).split("\\\\")) {
        text.append((char) Integer.parseInt(hex, 16));
      }
      uids.putIfAbsent(un.group(1).toLowerCase(), text.toString().replace("\0", "").trim());
    }
    return new Sample(file, Files.readAllBytes(file), process.exitValue() == 0, uids);
  }
}
