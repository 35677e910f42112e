package org.strata.dicom.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;

/**
 * Parses every pydicom sample and compares it element by element with DCMTK's dcmdump: same
 * elements in the same order and nesting, same VR, same value length, same value (strings as bytes,
 * or UTF-8 where dcmdump could convert them; binary values in dcmdump's hex or decimal notation;
 * floats as numbers). Files dcmdump rejects must be rejected with {@link DicomParseException}.
 *
 * <p>{@link #KNOWN_DIFFERENCES} lists the files where we knowingly differ, with the reason and a
 * fragment of the difference: the test fails if such a file becomes identical (remove it from the
 * list) or differs in another way, so both improvements and regressions show.
 */
class DcmdumpComparisonTest {

  /** File -> {reason, a fragment of the difference message}. */
  static final Map<String, List<String>> KNOWN_DIFFERENCES =
      Map.of(
          "test_files/dicomdirtests/DICOMDIR-nooffset",
          List.of(
              "The last directory record claims 248 bytes but the file ends 24 bytes earlier, at"
                  + " an element boundary. DCMTK stops at the end of file and keeps the record; we"
                  + " report the truncation, as for any other value that runs past the end.",
              "we reject the file: item runs past the end of input (at byte 10860)"),
          "test_files/meta_missing_tsyntax.dcm",
          List.of(
              "(0001,0002) in a private sequence has an odd length (9). DCMTK pads odd values"
                  + " with a NUL in memory and reports 10 bytes; we keep the 9 bytes of the wire.",
              "ours     (0001,0002) UN #9"),
          "test_files/nested_priv_SQ.dcm",
          List.of(
              "Same odd-length (0001,0002) as meta_missing_tsyntax.dcm (the same data set with"
                  + " file meta information).",
              "ours     (0001,0002) UN #9"));

  private static final Map<String, Boolean> RESULTS = new ConcurrentSkipListMap<>();
  private static final java.util.Set<String> REJECTED_BY_BOTH =
      new java.util.concurrent.ConcurrentSkipListSet<>();

  @TestFactory
  Stream<DynamicTest> everySampleMatchesDcmdump() throws Exception {
    assumeTrue(SampleFiles.present(), "pydicom samples missing: apt-get install python3-pydicom");
    assumeTrue(Dcmdump.executable().isPresent(), "dcmdump missing: apt-get install dcmtk");
    return SampleFiles.all().stream()
        .map(f -> DynamicTest.dynamicTest(SampleFiles.name(f), () -> check(f)));
  }

  @Test
  void knownDifferencesNameExistingFiles() {
    assumeTrue(SampleFiles.present(), "pydicom samples missing: apt-get install python3-pydicom");
    for (String name : KNOWN_DIFFERENCES.keySet()) {
      assertTrue(Files.isRegularFile(SampleFiles.ROOT.resolve(name)), name);
    }
  }

  @AfterAll
  static void summary() {
    long same = RESULTS.values().stream().filter(b -> b).count();
    long rejected = REJECTED_BY_BOTH.size();
    System.out.printf(
        "dcmdump comparison: %d of %d files identical (%d of them rejected by both: %s)%n",
        same, RESULTS.size(), rejected, REJECTED_BY_BOTH);
  }

  private static void check(Path file) throws Exception {
    String name = SampleFiles.name(file);
    String difference = compare(file);
    RESULTS.put(name, difference == null);
    List<String> known = KNOWN_DIFFERENCES.get(name);
    if (known == null) {
      assertNull(difference, name);
    } else {
      assertNotNull(difference, name + " now matches dcmdump: remove it from KNOWN_DIFFERENCES");
      assertTrue(
          difference.contains(known.get(1)),
          name + " differs in a new way: " + difference + " (known: " + known.get(1) + ")");
    }
  }

  /** Null if our parse and dcmdump agree, else what differs first. */
  static String compare(Path file) throws Exception {
    Dcmdump.Result dump = Dcmdump.dump(file);
    Attributes fmi = null;
    Attributes dataset = null;
    DicomParseException error = null;
    try (DicomInputStream in = DicomInputStream.open(file, ReadOptions.DEFAULTS)) {
      fmi = in.readFileMetaInformation();
      dataset = in.readDataset();
    } catch (DicomParseException e) {
      error = e;
    }
    if (dump.rejected()) {
      if (error != null) {
        REJECTED_BY_BOTH.add(SampleFiles.name(file));
      }
      return error != null ? null : "dcmdump rejects the file, we accept it";
    }
    if (error != null) {
      return "we reject the file: " + error.getMessage();
    }
    List<DumpLine> ours = OurDump.lines(fmi, dataset, dump.utf8());
    List<DumpLine> theirs = dump.lines();
    for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
      DumpLine a = normalize(ours.get(i), dump.utf8());
      DumpLine b = normalize(theirs.get(i), dump.utf8());
      if (!same(a, b)) {
        return "element " + i + ": ours " + a + " dcmdump " + b;
      }
    }
    if (ours.size() != theirs.size()) {
      int n = Math.min(ours.size(), theirs.size());
      return "element count: ours "
          + ours.size()
          + " dcmdump "
          + theirs.size()
          + ", first extra: "
          + (ours.size() > n ? "ours " + ours.get(n) : "dcmdump " + theirs.get(n));
    }
    return null;
  }

  /**
   * In +U8 mode dcmdump rewrites (0008,0005) to ISO_IR 192 and prints the converted lengths of
   * text: those are not comparable with the wire.
   */
  private static DumpLine normalize(DumpLine d, boolean utf8) {
    if (!utf8) {
      return d;
    }
    boolean charset =
        d.tag()
            .equals(
                String.format(
                    "(%04x,%04x)",
                    Tag.SpecificCharacterSet >>> 16, Tag.SpecificCharacterSet & 0xFFFF));
    boolean text = List.of("SH", "LO", "ST", "LT", "UC", "UT", "PN").contains(d.vr());
    if (charset) {
      return new DumpLine(d.depth(), d.tag(), d.vr(), "-", "-");
    }
    return text ? new DumpLine(d.depth(), d.tag(), d.vr(), "-", d.value()) : d;
  }

  private static boolean same(DumpLine a, DumpLine b) {
    // DCMTK's "xs": US or SS left undecided in implicit VR (e.g. palette descriptors of a data set
    // without Pixel Representation); its values print as US.
    boolean xs = b.vr().equals("xs") && (a.vr().equals("US") || a.vr().equals("SS"));
    if (a.depth() != b.depth()
        || !a.tag().equals(b.tag())
        || !(a.vr().equals(b.vr()) || xs)
        || !a.length().equals(b.length())) {
      return false;
    }
    if (List.of("FL", "FD", "OF", "OD").contains(a.vr()) && !a.value().isEmpty()) {
      return OurDump.sameNumbers(a.vr(), a.value(), b.value());
    }
    return a.value().equals(b.value());
  }
}
