package org.strata.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Writes every pydicom sample we parse in each uncompressed transfer syntax and deflated (files
 * with encapsulated pixel data only in their own transfer syntax), then checks the output:
 *
 * <ol>
 *   <li>our reader gives back the original model element by element (values compared as little
 *       endian bytes, odd values padded with the VR's padding byte; VRs compared for explicit VR
 *       outputs only, since implicit VR takes them from the dictionary; group lengths present where
 *       they were, their value checked against the encoding instead);
 *   <li>dcmdump reads our output exactly as our reader does ({@link
 *       DcmdumpComparisonTest#compare});
 *   <li>for explicit VR outputs, dcmdump's dump of the output equals its dump of the original
 *       outside group 0002 and group length values;
 *   <li>the file meta information carries our transfer syntax and implementation, and a group
 *       length that matches the bytes;
 *   <li>dciodvfy (dicom3tools) reports no error on the output that it does not report on the
 *       original. Deflated outputs are left out of this check: the Debian build of dciodvfy cannot
 *       read deflated data sets ("Implicit VR encoding even though supposed to be explicit" on
 *       every deflated file, pydicom's image_dfl.dcm included).
 * </ol>
 */
class RoundTripTest {

  static final List<String> UNCOMPRESSED =
      List.of(
          UID.ImplicitVRLittleEndian,
          UID.ExplicitVRLittleEndian,
          UID.ExplicitVRBigEndian,
          UID.DeflatedExplicitVRLittleEndian);

  @TempDir static Path dir;

  private static final Map<Path, Dcmdump.Result> ORIGINAL_DUMPS = new ConcurrentHashMap<>();
  private static final Map<Path, Set<String>> ORIGINAL_ERRORS = new ConcurrentHashMap<>();
  private static final AtomicInteger WRITTEN = new AtomicInteger();
  private static final AtomicInteger VERIFIED = new AtomicInteger();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> everySampleRoundTrips() throws Exception {
    assumeTrue(SampleFiles.present(), "pydicom samples missing: apt-get install python3-pydicom");
    assumeTrue(Dcmdump.executable().isPresent(), "dcmdump missing: apt-get install dcmtk");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : SampleFiles.all()) {
      Attributes fmi;
      Attributes ds;
      String ownTs;
      try (DicomInputStream in = DicomInputStream.open(file, ReadOptions.DEFAULTS)) {
        fmi = in.readFileMetaInformation();
        ds = in.readDataset();
        ownTs = in.transferSyntax().uid();
      } catch (DicomParseException rejected) {
        continue; // the known rejects of DcmdumpComparisonTest
      }
      List<String> targets = ds.getFragments(Tag.PixelData) != null ? List.of(ownTs) : UNCOMPRESSED;
      for (String ts : targets) {
        tests.add(
            DynamicTest.dynamicTest(
                SampleFiles.name(file) + " -> " + ts, () -> named(file, fmi, ds, ts)));
      }
    }
    return tests.stream();
  }

  @AfterAll
  static void summary() {
    System.out.printf(
        "round trip: %d files written, %d checked with dciodvfy%n", WRITTEN.get(), VERIFIED.get());
  }

  private static void named(Path original, Attributes fmi, Attributes ds, String ts)
      throws Exception {
    try {
      check(original, fmi, ds, ts);
    } catch (AssertionError e) {
      throw new AssertionError(SampleFiles.name(original) + " -> " + ts + ": " + e.getMessage(), e);
    }
  }

  private static void check(Path original, Attributes fmi, Attributes ds, String ts)
      throws Exception {
    Path out = dir.resolve(COUNTER.incrementAndGet() + ".dcm");
    DicomOutputStream.writeFile(out, fmi, ds, ts);
    WRITTEN.incrementAndGet();
    TransferSyntax syntax = TransferSyntax.of(ts);

    // 1. our reader
    Attributes fmiBack;
    Attributes back;
    try (DicomInputStream in = DicomInputStream.open(out, ReadOptions.DEFAULTS)) {
      fmiBack = in.readFileMetaInformation();
      back = in.readDataset();
    }
    List<String> differences = new ArrayList<>();
    compare(ds, back, !syntax.explicitVR(), "", differences, syntax.bigEndian());
    assertEquals(List.of(), differences, "model differences");

    // 4. file meta information
    assertEquals(ts, fmiBack.getString(Tag.TransferSyntaxUID));
    assertEquals(
        "2.25.22854180625435546337945660893540618350",
        fmiBack.getString(Tag.ImplementationClassUID));
    assertEquals("STRATA_0.1", fmiBack.getString(Tag.ImplementationVersionName));
    // Raw bytes: rtdose_rle.dcm has its SOP Instance UID with VR UN.
    byte[] uid = ds.getBytes(Tag.SOPInstanceUID);
    if (uid != null) {
      String sopInstance = new String(uid, StandardCharsets.US_ASCII).replace("\0", "").strip();
      assertEquals(sopInstance, fmiBack.getString(Tag.MediaStorageSOPInstanceUID));
    }
    int last = fmiBack.size() - 1;
    byte[] lastValue = fmiBack.getBytes(fmiBack.tagAt(last));
    long groupEnd = fmiBack.valueOffsetAt(last) + lastValue.length;
    byte[] head = new byte[144];
    try (InputStream in = Files.newInputStream(out)) {
      assertEquals(144, in.readNBytes(head, 0, 144));
    }
    // (0002,0000) UL: tag at 132, value at 140; the group starts right after it, at 144.
    long groupLength = ByteBuffer.wrap(head, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertEquals(groupEnd - 144, groupLength, "(0002,0000)");

    // 2. dcmdump reads what our reader reads
    assertNull(DcmdumpComparisonTest.compare(out), "dcmdump vs our reader on our output");

    // 3. dcmdump of the output vs dcmdump of the original
    if (syntax.explicitVR()) {
      Dcmdump.Result before = ORIGINAL_DUMPS.computeIfAbsent(original, RoundTripTest::dump);
      Dcmdump.Result after = Dcmdump.dump(out);
      assertEquals(
          withoutMetaAndGroupLengths(before.lines()),
          withoutMetaAndGroupLengths(after.lines()),
          "dcmdump of the original vs dcmdump of the output");
    }

    // 5. dciodvfy
    if (!syntax.deflated() && Dciodvfy.present()) {
      Set<String> before = ORIGINAL_ERRORS.computeIfAbsent(original, Dciodvfy::baseline);
      Set<String> after = new TreeSet<>(Dciodvfy.errors(out));
      after.removeAll(before);
      if (!syntax.explicitVR() && !ds.contains(Tag.PixelRepresentation)) {
        // Implicit VR cannot say whether a palette descriptor is US or SS without Pixel
        // Representation (PS3.3 C.7.6.3.1.5): a limit of that transfer syntax for these data sets
        // (the palettes), not of the writer.
        if (after.removeIf(e -> e.contains("Missing Pixel Representation, can't set VR"))) {
          after.remove("Error - Dicom dataset read failed");
        }
      }
      assertEquals(Set.of(), after, "new dciodvfy errors");
      VERIFIED.incrementAndGet();
    }
    Files.delete(out);
  }

  private static Dcmdump.Result dump(Path file) {
    try {
      return Dcmdump.dump(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<DumpLine> withoutMetaAndGroupLengths(List<DumpLine> lines) {
    List<DumpLine> out = new ArrayList<>();
    for (DumpLine d : lines) {
      if (d.depth() == 0 && d.tag().startsWith("(0002,")) {
        continue;
      }
      if (d.tag().endsWith(",0000)")) {
        out.add(new DumpLine(d.depth(), d.tag(), d.vr(), d.length(), "-"));
      } else {
        out.add(d);
      }
    }
    return out;
  }

  /** Differences between the original and what was read back, as readable lines. */
  static void compare(
      Attributes a, Attributes b, boolean implicit, String path, List<String> diffs, boolean big) {
    List<Integer> expectedTags = new ArrayList<>();
    for (int t : a.tags()) {
      if (!(path.isEmpty() && Tags.group(t) == 0x0002)) {
        expectedTags.add(t);
      }
    }
    List<Integer> actualTags = Arrays.stream(b.tags()).boxed().toList();
    if (!expectedTags.equals(actualTags)) {
      diffs.add(path + " tags " + hex(expectedTags) + " vs " + hex(actualTags));
      return;
    }
    for (int tag : expectedTags) {
      String where = path + Tags.toString(tag);
      VR vrA = a.vr(tag);
      VR vrB = b.vr(tag);
      Object va = a.value(tag);
      Object vb = b.value(tag);
      if (va instanceof Sequence sa) {
        if (!(vb instanceof Sequence sb) || sa.size() != sb.size()) {
          diffs.add(where + " sequence vs " + vb);
          continue;
        }
        for (int i = 0; i < sa.size(); i++) {
          compare(sa.get(i), sb.get(i), implicit, where + "[" + i + "]", diffs, big);
        }
        continue;
      }
      if (va instanceof Fragments fa) {
        if (!(vb instanceof Fragments fb) || fa.size() != fb.size()) {
          diffs.add(where + " fragments vs " + vb);
          continue;
        }
        for (int i = 0; i < fa.size(); i++) {
          if (!Arrays.equals(padded((byte[]) fa.get(i), 0), (byte[]) fb.get(i))) {
            diffs.add(where + " fragment " + i);
          }
        }
        continue;
      }
      if (Tags.isGroupLength(tag)) {
        continue; // recomputed for the encoding
      }
      byte[] ba = va == null ? new byte[0] : (byte[]) va;
      byte[] bb = vb == null ? new byte[0] : (byte[]) vb;
      if (!implicit) {
        VR expected = vrA.explicitHeaderLength() == 8 && ba.length > 0xFFFE ? VR.UN : vrA;
        if (expected != vrB) {
          diffs.add(where + " VR " + vrA + " vs " + vrB);
          continue;
        }
      }
      byte[] la = littleEndian(padded(ba, vrA.paddingByte()), vrA, a.bigEndian());
      byte[] lb = littleEndian(bb, vrB, b.bigEndian());
      if (!Arrays.equals(la, lb)) {
        diffs.add(
            where
                + " "
                + vrA
                + " value "
                + OurDump.hexBytes(Arrays.copyOf(la, Math.min(la.length, 32)))
                + " vs "
                + OurDump.hexBytes(Arrays.copyOf(lb, Math.min(lb.length, 32))));
      }
    }
  }

  private static String hex(List<Integer> tags) {
    return tags.stream().map(Tags::toString).toList().toString();
  }

  private static byte[] padded(byte[] b, int pad) {
    if (b.length % 2 == 0) {
      return b;
    }
    byte[] out = Arrays.copyOf(b, b.length + 1);
    out[b.length] = (byte) pad;
    return out;
  }

  /** The value in little endian, swapped per unit of its VR (independent of the writer). */
  private static byte[] littleEndian(byte[] b, VR vr, boolean big) {
    int unit =
        switch (vr) {
          case US, SS, OW, AT -> 2;
          case UL, SL, FL, OF, OL -> 4;
          case FD, OD, OV, SV, UV -> 8;
          default -> 1;
        };
    if (!big || unit == 1) {
      return b;
    }
    byte[] out = b.clone();
    for (int p = 0; p + unit <= out.length; p += unit) {
      for (int k = 0; k < unit; k++) {
        out[p + k] = b[p + unit - 1 - k];
      }
    }
    return out;
  }

  /** dicom3tools' IOD verifier: the set of its "Error" lines. */
  static final class Dciodvfy {
    private Dciodvfy() {}

    static boolean present() {
      return Files.isExecutable(Path.of("/usr/bin/dciodvfy"));
    }

    /**
     * Errors of the original. A deflated original (which dciodvfy cannot read) is first inflated to
     * explicit VR little endian by DCMTK's dcmconv, so the baseline is not made by our writer.
     */
    static Set<String> baseline(Path file) {
      try {
        String ts;
        try (DicomInputStream in = DicomInputStream.open(file, ReadOptions.DEFAULTS)) {
          ts = in.transferSyntax().uid();
        }
        if (!TransferSyntax.of(ts).deflated()) {
          return errors(file);
        }
        Path inflated = dir.resolve("baseline-" + COUNTER.incrementAndGet() + ".dcm");
        Process p =
            new ProcessBuilder("dcmconv", "+te", file.toString(), inflated.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("dcmconv failed on " + file);
        }
        return errors(inflated);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    static Set<String> errors(Path file) {
      try {
        Process p =
            new ProcessBuilder("/usr/bin/dciodvfy", file.toString())
                .redirectErrorStream(true)
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
          out = in.readAllBytes();
        }
        p.waitFor();
        Set<String> errors = new TreeSet<>();
        for (String line : new String(out, StandardCharsets.ISO_8859_1).split("\n")) {
          if (line.contains("Error")) {
            errors.add(line.strip().replaceAll("\\s+", " "));
          }
        }
        return errors;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
