package org.strata.dicom.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
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
 * JPEG Lossless (Process 14): pydicom's samples against DCMTK's dcmdjpeg, DCMTK dcmcjpeg encodings
 * of native images (every predictor, 8 and 16 bits, monochrome and RGB, several frames) against
 * their original pixels, hand-made streams (restart markers, non-interleaved scans, point
 * transform) against pixels written down here, and corrupt streams.
 */
class JpegLosslessDecoderTest {
  static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  @TempDir Path dir;

  @ParameterizedTest
  // UN_sequence.dcm, also JPEG Lossless SV1, has no Pixel Data: nothing to decode.
  @CsvSource({"SC_rgb_jpeg_gdcm.dcm"})
  void pydicomSamplesSameAsDcmdjpeg(String sample) throws Exception {
    assumeTrue(Files.isRegularFile(SAMPLES.resolve(sample)) && dcmtk());
    Path ours = transcode(SAMPLES.resolve(sample));
    Path expected = dir.resolve("expected.dcm");
    run("dcmdjpeg", "+te", SAMPLES.resolve(sample).toString(), expected.toString());
    byte[] e = pixels(expected, "e");
    assertTrue(e.length > 1000, sample);
    assertArrayEquals(e, pixels(ours, "o"), sample);
  }

  /**
   * A native sample (RLE ones decompressed first) encoded by {@code dcmcjpeg} with the given
   * options; decoding must give back the original pixels, byte for byte.
   */
  @ParameterizedTest
  @CsvSource({
    "CT_small.dcm, +e1",
    "CT_small.dcm, +el +sv 1",
    "CT_small.dcm, +el +sv 2",
    "CT_small.dcm, +el +sv 3",
    "CT_small.dcm, +el +sv 4",
    "CT_small.dcm, +el +sv 5",
    "CT_small.dcm, +el +sv 6",
    "CT_small.dcm, +el +sv 7",
    "MR_small.dcm, +e1",
    "MR_small.dcm, +el +sv 6",
    "SC_rgb_small_odd.dcm, +e1",
    "SC_rgb_small_odd.dcm, +el +sv 4",
    "SC_rgb_rle_2frame.dcm, +el +sv 7",
    "SC_rgb_rle_16bit_2frame.dcm, +e1",
    "SC_rgb_rle_16bit_2frame.dcm, +el +sv 5",
  })
  void dcmcjpegLosslessRoundTrip(String sample, String options) throws Exception {
    assumeTrue(Files.isRegularFile(SAMPLES.resolve(sample)) && dcmtk());
    Path source = SAMPLES.resolve(sample);
    if (sample.contains("_rle")) {
      Path nativ = dir.resolve("native.dcm");
      run("dcmdrle", "+te", source.toString(), nativ.toString());
      source = nativ;
    }
    byte[] original = pixels(source, "n");
    Path compressed = dir.resolve("jpeg.dcm");
    List<String> cmd = new ArrayList<>(List.of("dcmcjpeg"));
    cmd.addAll(Arrays.asList(options.split(" ")));
    cmd.addAll(List.of(source.toString(), compressed.toString()));
    run(cmd.toArray(String[]::new));
    String ts = run("dcmdump", "-q", "-M", "+P", "0002,0010", compressed.toString());
    assertTrue(ts.contains("JPEGLossless"), ts);
    assertArrayEquals(original, pixels(transcode(compressed), "o"), sample + " " + options);
  }

  /**
   * Synthetic native images with written-down pixels (8-bit and 12-bit monochrome, signed 16-bit)
   * through dcmcjpeg and back.
   */
  @ParameterizedTest
  @CsvSource({
    "8, 8, 0, +e1",
    "8, 8, 0, +el +sv 7",
    "16, 12, 0, +el +sv 2",
    "16, 16, 1, +el +sv 6",
    "16, 16, 0, +el +sv 1",
  })
  void syntheticThroughDcmcjpeg(int allocated, int stored, int signed, String options)
      throws Exception {
    assumeTrue(dcmtk());
    int rows = 37;
    int columns = 41;
    byte[] pixels = synthetic(rows, columns, allocated, stored);
    Path source = dir.resolve("synthetic.dcm");
    Files.write(source, nativeFile(rows, columns, allocated, stored, signed, pixels));
    Path compressed = dir.resolve("jpeg.dcm");
    List<String> cmd = new ArrayList<>(List.of("dcmcjpeg"));
    cmd.addAll(Arrays.asList(options.split(" ")));
    cmd.addAll(List.of(source.toString(), compressed.toString()));
    run(cmd.toArray(String[]::new));
    // Pixel Data has an even length: 37 x 41 8-bit samples get one byte of padding.
    byte[] expected = Arrays.copyOf(pixels, pixels.length + pixels.length % 2);
    assertArrayEquals(expected, pixels(transcode(compressed), "o"), options);
  }

  /** A point transform loses low bits (dcmcjpeg +pt): the result must equal dcmdjpeg's. */
  @ParameterizedTest
  @CsvSource({"CT_small.dcm, 2", "SC_rgb_small_odd.dcm, 3"})
  void pointTransformSameAsDcmdjpeg(String sample, String pt) throws Exception {
    assumeTrue(Files.isRegularFile(SAMPLES.resolve(sample)) && dcmtk());
    Path compressed = dir.resolve("jpeg.dcm");
    run(
        "dcmcjpeg",
        "+el",
        "+sv",
        "1",
        "+pt",
        pt,
        SAMPLES.resolve(sample).toString(),
        compressed.toString());
    Path expected = dir.resolve("expected.dcm");
    run("dcmdjpeg", "+te", compressed.toString(), expected.toString());
    byte[] e = pixels(expected, "e");
    byte[] original = pixels(SAMPLES.resolve(sample), "n");
    assertTrue(!Arrays.equals(e, original), "the point transform lost bits");
    assertArrayEquals(e, pixels(transcode(compressed), "o"), sample);
  }

  /** Ramps and a wrap-around pattern: large differences of both signs. */
  private static byte[] synthetic(int rows, int columns, int allocated, int stored) {
    int max = (1 << stored) - 1;
    byte[] out = new byte[rows * columns * allocated / 8];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < columns; x++) {
        int v = ((x * 977 + y * 131) ^ (x * y * 7)) & max;
        if ((x + y) % 11 == 0) {
          v = max - v;
        }
        int i = y * columns + x;
        if (allocated == 8) {
          out[i] = (byte) v;
        } else {
          out[2 * i] = (byte) v;
          out[2 * i + 1] = (byte) (v >> 8);
        }
      }
    }
    return out;
  }

  private static byte[] nativeFile(
      int rows, int columns, int allocated, int stored, int signed, byte[] pixels)
      throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
    ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.4242");
    ds.setString(Tag.Modality, VR.CS, "OT");
    ds.set(Tag.SamplesPerPixel, VR.US, us(1));
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.set(Tag.Rows, VR.US, us(rows));
    ds.set(Tag.Columns, VR.US, us(columns));
    ds.set(Tag.BitsAllocated, VR.US, us(allocated));
    ds.set(Tag.BitsStored, VR.US, us(stored));
    ds.set(Tag.HighBit, VR.US, us(stored - 1));
    ds.set(Tag.PixelRepresentation, VR.US, us(signed));
    ds.set(Tag.PixelData, allocated == 8 ? VR.OB : VR.OW, pixels);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (DicomOutputStream dos = new DicomOutputStream(file, UID.ExplicitVRLittleEndian)) {
      dos.writeFileMetaInformation(
          DicomOutputStream.fileMetaInformation(ds, null, UID.ExplicitVRLittleEndian));
      dos.writeDataset(ds);
    }
    return file.toByteArray();
  }

  private static byte[] us(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8)};
  }

  // ---- hand-made streams -------------------------------------------------------------------

  @Test
  void restartIntervalsEveryRowAndMidRow() throws Exception {
    int rows = 5;
    int columns = 7;
    int[][] samples = new int[1][rows * columns];
    for (int i = 0; i < rows * columns; i++) {
      samples[0][i] = (i * 37 + 11) & 0xFF;
    }
    PixelDescription image = new PixelDescription(rows, columns, 1, 8, 8, 0, 0, 1, "MONOCHROME2");
    for (int interval : new int[] {columns, 2 * columns, 3}) {
      byte[] jpeg = TestEncoder.encode(rows, columns, 8, 1, 0, interval, true, samples);
      byte[] expected = new byte[rows * columns];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (byte) ((i * 37 + 11) & 0xFF);
      }
      assertArrayEquals(
          expected, new JpegLosslessDecoder().decode(jpeg, image), "interval " + interval);
    }
  }

  @Test
  void nonInterleavedRgbWithPredictor4() throws Exception {
    int rows = 3;
    int columns = 4;
    int[][] samples = new int[3][rows * columns];
    for (int i = 0; i < rows * columns; i++) {
      samples[0][i] = i * 20;
      samples[1][i] = 255 - i;
      samples[2][i] = (i % 2) * 200;
    }
    byte[] jpeg = TestEncoder.encode(rows, columns, 8, 4, 0, 0, false, samples);
    PixelDescription image = new PixelDescription(rows, columns, 3, 8, 8, 0, 0, 1, "RGB");
    byte[] expected = {
      0,
      (byte) 255,
      0,
      20,
      (byte) 254,
      (byte) 200,
      40,
      (byte) 253,
      0,
      60,
      (byte) 252,
      (byte) 200,
      80,
      (byte) 251,
      0,
      100,
      (byte) 250,
      (byte) 200,
      120,
      (byte) 249,
      0,
      (byte) 140,
      (byte) 248,
      (byte) 200,
      (byte) 160,
      (byte) 247,
      0,
      (byte) 180,
      (byte) 246,
      (byte) 200,
      (byte) 200,
      (byte) 245,
      0,
      (byte) 220,
      (byte) 244,
      (byte) 200
    };
    assertArrayEquals(expected, new JpegLosslessDecoder().decode(jpeg, image));
    assertEquals("RGB", new JpegLosslessDecoder().decodedPhotometric(image));
  }

  @Test
  void pointTransformShiftsSamples() throws Exception {
    // 12-bit precision, Pt 2: the stream holds 10-bit values, the decoder shifts them back.
    int[][] samples = {{0, 1, 1023, 512, 7, 1000}};
    byte[] jpeg = TestEncoder.encode(2, 3, 12, 1, 2, 0, true, samples);
    PixelDescription image = new PixelDescription(2, 3, 1, 16, 12, 0, 0, 1, "MONOCHROME2");
    byte[] expected = {0, 0, 4, 0, (byte) 0xFC, 0x0F, 0, 8, 28, 0, (byte) 0xA0, 0x0F};
    assertArrayEquals(expected, new JpegLosslessDecoder().decode(jpeg, image));
  }

  @Test
  void sixteenBitExtremesUseCategory16() throws Exception {
    int[][] samples = {{0, 65535, 32768, 0, 1, 65534}};
    byte[] jpeg = TestEncoder.encode(1, 6, 16, 1, 0, 0, true, samples);
    PixelDescription image = new PixelDescription(1, 6, 1, 16, 16, 0, 0, 1, "MONOCHROME2");
    byte[] expected = {0, 0, -1, -1, 0, (byte) 0x80, 0, 0, 1, 0, (byte) 0xFE, -1};
    assertArrayEquals(expected, new JpegLosslessDecoder().decode(jpeg, image));
  }

  // ---- bad input ---------------------------------------------------------------------------

  @Test
  void corruptStreamsAreCodecExceptions() throws Exception {
    int rows = 6;
    int columns = 9;
    int[][] samples = new int[1][rows * columns];
    for (int i = 0; i < samples[0].length; i++) {
      samples[0][i] = (i * 91) & 0xFFF;
    }
    byte[] good = TestEncoder.encode(rows, columns, 12, 7, 0, 9, true, samples);
    PixelDescription image = new PixelDescription(rows, columns, 1, 16, 12, 0, 0, 1, "MONOCHROME2");
    JpegLosslessDecoder decoder = new JpegLosslessDecoder();
    assertEquals(2 * rows * columns, decoder.decode(good, image).length);
    // Every truncation, with and without an EOI marker appended.
    for (int n = 0; n < good.length - 2; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThrows(CodecException.class, () -> decoder.decode(cut, image), "cut at " + n);
      byte[] cutEoi = Arrays.copyOf(good, n + 2);
      cutEoi[n] = (byte) 0xFF;
      cutEoi[n + 1] = (byte) 0xD9;
      assertThrows(CodecException.class, () -> decoder.decode(cutEoi, image), "EOI at " + n);
    }
    // Garbage: random bytes after a valid SOI, and every single-byte corruption of the headers.
    java.util.Random random = new java.util.Random(14);
    for (int k = 0; k < 200; k++) {
      byte[] garbage = new byte[1 + random.nextInt(300)];
      random.nextBytes(garbage);
      byte[] g = new byte[garbage.length + 2];
      g[0] = (byte) 0xFF;
      g[1] = (byte) 0xD8;
      System.arraycopy(garbage, 0, g, 2, garbage.length);
      assertThrows(CodecException.class, () -> decoder.decode(g, image), "garbage " + k);
    }
    for (int at = 0; at < good.length; at++) {
      for (int v : new int[] {0x00, 0xFF, 0x7F}) {
        byte[] bad = good.clone();
        bad[at] = (byte) v;
        try {
          byte[] out = decoder.decode(bad, image);
          assertEquals(2 * rows * columns, out.length); // a still-valid stream: right size
        } catch (CodecException expected) {
          // refused: fine
        }
      }
    }
    assertThrows(CodecException.class, () -> decoder.decode(new byte[0], image));
  }

  @Test
  void missingTablesAndOtherFramesRefused() throws Exception {
    int[][] samples = {{1, 2, 3, 4}};
    byte[] good = TestEncoder.encode(2, 2, 8, 1, 0, 0, true, samples);
    PixelDescription image = new PixelDescription(2, 2, 1, 8, 8, 0, 0, 1, "MONOCHROME2");
    JpegLosslessDecoder decoder = new JpegLosslessDecoder();
    assertArrayEquals(new byte[] {1, 2, 3, 4}, decoder.decode(good, image));
    // Without its DHT segment (the encoder writes it right after SOI).
    int dhtLength = (good[4] & 0xFF) << 8 | (good[5] & 0xFF);
    byte[] noDht = new byte[good.length - 2 - dhtLength];
    System.arraycopy(good, 0, noDht, 0, 2);
    System.arraycopy(good, 4 + dhtLength, noDht, 2, good.length - 4 - dhtLength);
    CodecException e = assertThrows(CodecException.class, () -> decoder.decode(noDht, image));
    assertTrue(e.getMessage().contains("Huffman table"), e.getMessage());
    // SOF1 (extended sequential) instead of SOF3.
    byte[] sof1 = good.clone();
    for (int i = 0; i + 1 < sof1.length; i++) {
      if ((sof1[i] & 0xFF) == 0xFF && (sof1[i + 1] & 0xFF) == 0xC3) {
        sof1[i + 1] = (byte) 0xC1;
      }
    }
    e = assertThrows(CodecException.class, () -> decoder.decode(sof1, image));
    assertTrue(e.getMessage().contains("SOF1"), e.getMessage());
    // The frame does not match the data set.
    PixelDescription other = new PixelDescription(2, 3, 1, 8, 8, 0, 0, 1, "MONOCHROME2");
    assertThrows(CodecException.class, () -> decoder.decode(good, other));
    PixelDescription rgb = new PixelDescription(2, 2, 3, 8, 8, 0, 0, 1, "RGB");
    assertThrows(CodecException.class, () -> decoder.decode(good, rgb));
    // 12-bit precision into 8 bits allocated.
    byte[] twelve = TestEncoder.encode(2, 2, 12, 1, 0, 0, true, samples);
    assertThrows(CodecException.class, () -> decoder.decode(twelve, image));
  }

  @Test
  void wiredForBothTransferSyntaxes() {
    assertTrue(FrameDecoders.of(UID.JPEGLossless) instanceof JpegLosslessDecoder);
    assertTrue(FrameDecoders.of(UID.JPEGLosslessSV1) instanceof JpegLosslessDecoder);
    assertTrue(Transcoder.canTranscode(UID.JPEGLosslessSV1, UID.ExplicitVRLittleEndian));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private Path transcode(Path source) throws IOException {
    Path ours = dir.resolve("ours.dcm");
    try (InputStream in = Files.newInputStream(source);
        var out = Files.newOutputStream(ours)) {
      Transcoder.transcode(in, out, UID.ExplicitVRLittleEndian);
    }
    return ours;
  }

  /** The raw pixel data dcmdump writes with {@code +W}. */
  private byte[] pixels(Path file, String name) throws Exception {
    Path out = Files.createDirectories(dir.resolve("raw-" + name));
    try (var old = Files.list(out)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
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
    return Files.isExecutable(Path.of("/usr/bin/dcmdump"))
        && Files.isExecutable(Path.of("/usr/bin/dcmcjpeg"));
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  /**
   * A minimal lossless JPEG writer for the tests (not the decoder's code): one DHT table whose
   * codes are category+1 ones then a zero (a unary code; 17 categories fit in 16 bits with the last
   * code all ones), SOF3, optional DRI, one interleaved scan or one scan per component.
   */
  static final class TestEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int acc;
    private int accBits;

    static byte[] encode(
        int rows,
        int columns,
        int precision,
        int predictor,
        int pt,
        int restartInterval,
        boolean interleaved,
        int[][] samples) {
      TestEncoder e = new TestEncoder();
      int nc = samples.length;
      e.marker(0xD8);
      // DHT: table 0: category k has a code of length k+1 (k < 15), 15 and 16
      // share length 16.
      e.marker(0xC4);
      e.u16(2 + 17 + 17);
      e.out.write(0x00);
      for (int l = 1; l <= 16; l++) {
        e.out.write(l == 16 ? 2 : 1);
      }
      for (int k = 0; k <= 16; k++) {
        e.out.write(k);
      }
      e.marker(0xC3);
      e.u16(8 + 3 * nc);
      e.out.write(precision);
      e.u16(rows);
      e.u16(columns);
      e.out.write(nc);
      for (int c = 0; c < nc; c++) {
        e.out.write(c + 1);
        e.out.write(0x11);
        e.out.write(0);
      }
      if (restartInterval > 0) {
        e.marker(0xDD);
        e.u16(4);
        e.u16(restartInterval);
      }
      if (interleaved) {
        int[] all = new int[nc];
        for (int c = 0; c < nc; c++) {
          all[c] = c;
        }
        e.scan(rows, columns, precision, predictor, pt, restartInterval, all, samples);
      } else {
        for (int c = 0; c < nc; c++) {
          e.scan(rows, columns, precision, predictor, pt, restartInterval, new int[] {c}, samples);
        }
      }
      e.marker(0xD9);
      return e.out.toByteArray();
    }

    private void scan(
        int rows,
        int columns,
        int precision,
        int predictor,
        int pt,
        int restartInterval,
        int[] comps,
        int[][] samples) {
      marker(0xDA);
      u16(6 + 2 * comps.length);
      out.write(comps.length);
      for (int c : comps) {
        out.write(c + 1);
        out.write(0x00);
      }
      out.write(predictor);
      out.write(0);
      out.write(pt);
      int restarts = 0;
      int mcu = 0;
      int firstRow = 0;
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < columns; x++, mcu++) {
          boolean reset = mcu == 0;
          if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
            flush();
            marker(0xD0 + (restarts++ & 7));
            reset = true;
          }
          if (reset) {
            firstRow = y;
          }
          for (int c : comps) {
            int[] s = samples[c];
            int i = y * columns + x;
            int px;
            if (reset) {
              px = 1 << (precision - pt - 1);
            } else if (y == firstRow) {
              px = s[i - 1];
            } else if (x == 0) {
              px = s[i - columns];
            } else {
              int ra = s[i - 1];
              int rb = s[i - columns];
              int rc = s[i - columns - 1];
              px =
                  switch (predictor) {
                    case 1 -> ra;
                    case 2 -> rb;
                    case 3 -> rc;
                    case 4 -> ra + rb - rc;
                    case 5 -> ra + ((rb - rc) >> 1);
                    case 6 -> rb + ((ra - rc) >> 1);
                    default -> (ra + rb) >> 1;
                  };
            }
            int diff = (s[i] - px) & 0xFFFF;
            if (diff >= 32768) {
              diff -= 65536;
            }
            category(diff);
          }
        }
      }
      flush();
    }

    private void category(int diff) {
      if (diff == -32768) {
        code(16);
        return;
      }
      int magnitude = Math.abs(diff);
      int ssss = magnitude == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(magnitude);
      code(ssss);
      if (ssss > 0) {
        int v = diff < 0 ? diff + (1 << ssss) - 1 : diff;
        bits(v, ssss);
      }
    }

    /** Category k: k+1 bits, k ones then zero; 15 and 16: 1..10 and 1..11 of 16 bits. */
    private void code(int k) {
      if (k < 15) {
        bits(((1 << (k + 1)) - 1) ^ 1, k + 1);
      } else {
        bits(k == 15 ? 0xFFFE : 0xFFFF, 16);
      }
    }

    private void bits(int v, int n) {
      for (int b = n - 1; b >= 0; b--) {
        acc = acc << 1 | (v >> b & 1);
        if (++accBits == 8) {
          byteOut(acc);
          acc = 0;
          accBits = 0;
        }
      }
    }

    private void flush() {
      while (accBits != 0) {
        bits(1, 1);
      }
    }

    private void byteOut(int b) {
      out.write(b);
      if (b == 0xFF) {
        out.write(0);
      }
    }

    private void marker(int m) {
      out.write(0xFF);
      out.write(m);
    }

    private void u16(int v) {
      out.write(v >> 8);
      out.write(v & 0xFF);
    }
  }
}
