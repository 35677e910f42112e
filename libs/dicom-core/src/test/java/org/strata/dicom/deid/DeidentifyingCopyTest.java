package org.strata.dicom.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.strata.dicom.Attributes;
import org.strata.dicom.Fragments;
import org.strata.dicom.Tag;
import org.strata.dicom.io.Dcmdump;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.DumpLine;

/**
 * Real objects (Debian's pydicom samples: native little and big endian, deflated, RLE, implicit VR
 * with sequences and private sequences) copied de-identified and read back by DCMTK's dcmdump, not
 * our parser: the file parses, no attribute that the Basic Profile removes (code X in the table,
 * read by {@link ProfileRows}) and no private attribute is in it at any depth, the file meta
 * information names the new SOP Instance UID, the UIDs are the keyed hashes, and the pixel data are
 * the original's byte for byte.
 */
class DeidentifyingCopyTest {
  private static final Path SAMPLES =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CT_small.dcm",
        "MR_small_RLE.dcm",
        "MR_small_bigendian.dcm",
        "image_dfl.dcm",
        "rtplan.dcm",
        "nested_priv_SQ.dcm"
      })
  void dcmdumpFindsNothingTheProfileRemoves(String name) throws Exception {
    Path source = SAMPLES.resolve(name);
    Attributes before = DicomInputStream.readFile(source);
    Path out = tmp.resolve("deid-" + name);
    DeidentifyingCopy.Result result;
    try (InputStream in = Files.newInputStream(source);
        var os = Files.newOutputStream(out)) {
      result =
          DeidentifyingCopy.copy(in, os, new Deidentifier(Set.of(), DeidentifierTableTest.KEY));
    }

    Dcmdump.Result result0 = Dcmdump.dump(out);
    assertFalse(result0.rejected(), "dcmdump rejects the copy");
    List<DumpLine> dump = result0.lines();
    assertTrue(dump.size() > 10, dump.toString());
    Map<String, String> removed = new HashMap<>();
    for (ProfileRows row : ProfileRows.read()) {
      if (!row.isPrivateRow() && row.codes().get("basic").equals("X") && !row.tag().contains("x")) {
        removed.put(row.tag(), row.name());
      }
    }
    List<String> survivors = new ArrayList<>();
    Map<String, String> top = new HashMap<>();
    for (DumpLine l : dump) {
      String tag = l.tag().substring(1, 5) + l.tag().substring(6, 10);
      int group = Integer.parseInt(tag.substring(0, 4), 16);
      if (removed.containsKey(tag)
          || (group & 1) == 1
          || (group & 0xFF00) == 0x5000
          || tag.matches("60[0-9a-f]{2}(3000|4000)")) {
        survivors.add(tag + " " + removed.getOrDefault(tag, "private/curve/overlay"));
      }
      if (l.depth() == 0) {
        top.putIfAbsent(tag, l.value());
      }
    }
    assertEquals(List.of(), survivors);

    assertEquals("YES", top.get("00120062"));
    if (before.getString(Tag.SOPInstanceUID) != null) { // nested_priv_SQ has none
      checkUids(before, top, result);
    }

    String patient = before.getString(Tag.PatientName);
    byte[] bytes = Files.readAllBytes(out);
    if (patient != null && patient.replace("^", "").length() > 2) {
      assertFalse(
          new String(bytes, StandardCharsets.ISO_8859_1).contains(patient), "patient name left");
    }

    Attributes after = DicomInputStream.readFile(out);
    Object pixelsBefore = before.value(Tag.PixelData);
    Object pixelsAfter = after.value(Tag.PixelData);
    if (pixelsBefore instanceof Fragments f) {
      Fragments g = (Fragments) pixelsAfter;
      assertEquals(f.size(), g.size());
      for (int i = 0; i < f.size(); i++) {
        assertArrayEquals((byte[]) f.get(i), (byte[]) g.get(i), "fragment " + i);
      }
    } else if (pixelsBefore != null) {
      assertArrayEquals((byte[]) pixelsBefore, (byte[]) pixelsAfter, "pixel data");
    }

    // Deterministic: the same key gives the same object again.
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(source)) {
      DeidentifyingCopy.copy(in, again, new Deidentifier(Set.of(), DeidentifierTableTest.KEY));
    }
    assertArrayEquals(bytes, again.toByteArray());
  }

  private static void checkUids(
      Attributes before, Map<String, String> top, DeidentifyingCopy.Result result) {
    String newSop = top.get("00080018");
    assertEquals(newSop, top.get("00020003"), "Media Storage SOP Instance UID");
    assertEquals(result.sopInstanceUid(), newSop);
    assertEquals(DeidentifierTableTest.hmacUid(before.getString(Tag.SOPInstanceUID)), newSop);
    String study = top.get("0020000d");
    assertNotEquals(before.getString(Tag.StudyInstanceUID), study);
    assertEquals(DeidentifierTableTest.hmacUid(before.getString(Tag.StudyInstanceUID)), study);
  }
}
