package org.strata.dicom.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomOutputStream;

/**
 * Transcoding of pydicom's samples to Explicit VR Little Endian, checked against DCMTK: dcmconv
 * (native and deflated sources), dcmdrle (RLE) and dcmdjpeg (JPEG Baseline) write the expected
 * files; dcmdump must read ours, list the same attributes (file meta group and Pixel Data aside)
 * and write the same raw pixel bytes ({@code +W}).
 */
class TranscoderTest {
  static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "MR_small_implicit.dcm, dcmconv",
    "MR_small_bigendian.dcm, dcmconv",
    "image_dfl.dcm, dcmconv",
    "CT_small.dcm, dcmconv",
    "MR_small_RLE.dcm, dcmdrle",
    "SC_rgb_rle_2frame.dcm, dcmdrle",
    "SC_rgb_rle_16bit_2frame.dcm, dcmdrle",
    "SC_rgb_rle_32bit_2frame.dcm, dcmdrle",
    "rtdose_rle.dcm, dcmdrle",
    // JPEG Lossless SV1 (our own decoder): what WADO-RS transcoding of such objects serves.
    "SC_rgb_jpeg_gdcm.dcm, dcmdjpeg",
  })
  void losslessSameAsDcmtk(String sample, String tool) throws Exception {
    assumeTrue(Files.isRegularFile(SAMPLES.resolve(sample)) && dcmtk());
    Path ours = transcode(sample);
    Path expected = dir.resolve("expected.dcm");
    run(tool, "+te", SAMPLES.resolve(sample).toString(), expected.toString());
    assertSameLines(attributes(expected), attributes(ours), sample);
    assertArrayEquals(pixels(expected, "e"), pixels(ours, "o"), sample);
  }

  @Test
  void jpegBaselineCloseToDcmdjpeg() throws Exception {
    for (String sample : List.of("SC_rgb_jpeg_dcmtk.dcm", "SC_jpeg_no_color_transform.dcm")) {
      assumeTrue(Files.isRegularFile(SAMPLES.resolve(sample)) && dcmtk());
      Path ours = transcode(sample);
      Path expected = dir.resolve("expected.dcm");
      run("dcmdjpeg", "+te", SAMPLES.resolve(sample).toString(), expected.toString());
      assertSameLines(attributes(expected), attributes(ours), sample);
      byte[] e = pixels(expected, "e");
      byte[] o = pixels(ours, "o");
      assertEquals(e.length, o.length, sample);
      // Two IDCT implementations: equal up to rounding (a sample off by at most 2, rarely).
      long sum = 0;
      int max = 0;
      for (int i = 0; i < e.length; i++) {
        int d = Math.abs((e[i] & 0xFF) - (o[i] & 0xFF));
        sum += d;
        max = Math.max(max, d);
      }
      assertTrue(max <= 2, sample + ": max difference " + max);
      assertTrue(sum / (double) e.length < 0.5, sample + ": mean difference");
    }
  }

  @Test
  void noDecoderForJpeg2000() throws Exception {
    assertFalse(Transcoder.canTranscode(UID.JPEG2000, UID.ExplicitVRLittleEndian));
    assertTrue(Transcoder.canTranscode(UID.RLELossless, UID.ExplicitVRLittleEndian));
    assertTrue(Transcoder.canTranscode(UID.JPEGLosslessSV1, UID.ExplicitVRLittleEndian));
    assertTrue(Transcoder.canTranscode(UID.JPEGLossless, UID.ExplicitVRLittleEndian));
    assertFalse(Transcoder.canTranscode(UID.ExplicitVRLittleEndian, UID.RLELossless));
    Path sample = SAMPLES.resolve("JPEG2000.dcm");
    assumeTrue(Files.isRegularFile(sample));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(sample)) {
      assertThrows(
          CodecException.class, () -> Transcoder.transcode(in, out, UID.ExplicitVRLittleEndian));
    }
    assertEquals(0, out.size(), "nothing written before the refusal");
  }

  @Test
  void hugeAnnouncedFrameRefusedBeforeOutput() throws Exception {
    // RLE, 65535 x 65535 x 16 bit: an 8 GiB frame; refused from the header, nothing written.
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
    ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1");
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.set(Tag.Rows, VR.US, new byte[] {(byte) 0xFF, (byte) 0xFF});
    ds.set(Tag.Columns, VR.US, new byte[] {(byte) 0xFF, (byte) 0xFF});
    ds.set(Tag.BitsAllocated, VR.US, new byte[] {16, 0});
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (DicomOutputStream dos = new DicomOutputStream(file, UID.RLELossless)) {
      dos.writeFileMetaInformation(
          DicomOutputStream.fileMetaInformation(ds, null, UID.RLELossless));
      dos.writeDataset(ds);
      dos.writeHeader(Tag.PixelData, VR.OB, -1);
      dos.writeFragment(new byte[0]);
      dos.writeFragment(new byte[64]);
      dos.writeSequenceDelimiter();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThrows(
        CodecException.class,
        () ->
            Transcoder.transcode(
                new java.io.ByteArrayInputStream(file.toByteArray()),
                out,
                UID.ExplicitVRLittleEndian));
    assertEquals(0, out.size());
  }

  @Test
  void corruptRleIsACodecException() throws Exception {
    PixelDescription image = new PixelDescription(2, 2, 1, 8, 8, 0, 0, 1, "MONOCHROME2");
    byte[] header = new byte[64];
    header[0] = 1; // one segment
    header[4] = 64; // at 64
    byte[] frame = new byte[66];
    System.arraycopy(header, 0, frame, 0, 64);
    frame[64] = 5; // a literal run of 6 bytes with one present
    frame[65] = 9;
    assertThrows(CodecException.class, () -> new RleDecoder().decode(frame, image));
    header[0] = 2; // two segments for one plane
    assertThrows(CodecException.class, () -> new RleDecoder().decode(header, image));
    // A replicate run (-3 => 4 bytes of 7): the whole 2x2 frame.
    byte[] ok = new byte[66];
    System.arraycopy(header, 0, ok, 0, 64);
    ok[0] = 1;
    ok[64] = -3;
    ok[65] = 7;
    assertArrayEquals(new byte[] {7, 7, 7, 7}, new RleDecoder().decode(ok, image));
  }

  private Path transcode(String sample) throws IOException {
    Path ours = dir.resolve("ours.dcm");
    try (InputStream in = Files.newInputStream(SAMPLES.resolve(sample));
        var out = Files.newOutputStream(ours)) {
      Transcoder.transcode(in, out, UID.ExplicitVRLittleEndian);
    }
    return ours;
  }

  /** dcmdump's lines without group 0002, Pixel Data and comments; fails if dcmdump fails. */
  private List<String> attributes(Path file) throws Exception {
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
      // Tag, VR and value; sequence and item lengths (defined or not) are the writer's choice.
      String v = l.replaceAll("\\s+#\\s*(\\d+|u/l), *\\d+ .*$", "");
      lines.add(v.replaceAll("with (explicit|undefined) length ", "").replaceAll(" +", " "));
    }
    assertTrue(lines.size() > 10, "dcmdump read " + file);
    return lines;
  }

  private static void assertSameLines(List<String> expected, List<String> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ": line " + i);
    }
    assertEquals(expected.size(), actual.size(), what + ": lines");
  }

  /** The raw pixel data dcmdump writes with {@code +W}. */
  private byte[] pixels(Path file, String name) throws Exception {
    Path out = Files.createDirectories(dir.resolve("raw-" + name));
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

  private static boolean dcmtk() {
    return Files.isExecutable(Path.of("/usr/bin/dcmdump"));
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out;
  }
}
