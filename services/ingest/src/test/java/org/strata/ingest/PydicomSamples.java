package org.strata.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.strata.ids.Uid;

/**
 * Debian's python3-pydicom sample files as DCMTK's dcmdump (not our parser) sees them, and the
 * STOW-RS outcome each must get when all are sent in one request in this order: shared by the tests
 * that send every sample (StowTest with REST Assured, DicomwebClientStowTest with the npm client),
 * so both expect the same whichever runs first on the shared platform.
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
   * The Failure Reason each sample gets when all are sent in order (0: stored): not storable per
   * dcmdump 0xC000; the first object of a SOP Instance UID stored; the same bytes again a duplicate
   * (stored); different bytes under a known SOP Instance UID refused (0x0111).
   */
  static List<Integer> expectedStatuses(List<Sample> samples) {
    Map<String, byte[]> firstBytes = new HashMap<>();
    List<Integer> expected = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.storable()) {
        expected.add(0xC000);
      } else if (!firstBytes.containsKey(s.sop())) {
        firstBytes.put(s.sop(), s.bytes());
        expected.add(0);
      } else {
        expected.add(Arrays.equals(firstBytes.get(s.sop()), s.bytes()) ? 0 : 0x0111);
      }
    }
    return expected;
  }

  /** The samples whose bytes are the ones stored under their SOP Instance UID. */
  static List<Sample> firstOfEachSop(List<Sample> samples) {
    Map<String, Sample> first = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.storable() && first.putIfAbsent(s.sop(), s) == null) {
        out.add(s);
      }
    }
    return out;
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
