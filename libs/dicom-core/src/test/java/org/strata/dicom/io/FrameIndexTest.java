package org.strata.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Frames cut from files by {@link FrameIndex} against what DCMTK extracts: {@code dcmdump +W dir}
 * writes native pixel data as one raw file (converted to little endian, hence only little endian
 * files are compared) and each item of encapsulated pixel data as its own file ({@code name.0.raw}
 * is the Basic Offset Table); frames are then cut from those by the rule the test states itself
 * (native: frame size from Rows, Columns, Samples per Pixel, Bits Allocated as dcmdump prints them;
 * encapsulated: one fragment per frame, or all of them for one frame).
 */
class FrameIndexTest {

  @TempDir static Path dir;
  private static final AtomicInteger COMPARED = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> framesOfSamplesEqualDcmtkExtraction() throws IOException {
    assumeTrue(SampleFiles.present(), "pydicom samples missing");
    assumeTrue(Dcmdump.executable().isPresent(), "dcmdump missing");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : SampleFiles.all()) {
      Attributes ds;
      TransferSyntax ts;
      try (DicomInputStream in = DicomInputStream.open(file, ReadOptions.DEFAULTS)) {
        in.readFileMetaInformation();
        ts = in.transferSyntax();
        ds = in.readDataset();
      } catch (DicomParseException e) {
        continue;
      }
      if (!ds.contains(Tag.PixelData) || ts.deflated() || ts.bigEndian()) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(SampleFiles.name(file), () -> compare(file)));
    }
    return tests.stream();
  }

  @AfterAll
  static void summary() {
    System.out.println("frame index: " + COMPARED.get() + " files compared with dcmdump +W");
  }

  private static void compare(Path file) throws Exception {
    Path out = Files.createTempDirectory(dir, "w");
    Process p =
        new ProcessBuilder(
                Dcmdump.executable().orElseThrow().toString(),
                "-q",
                "+W",
                out.toString(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    String dump = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      return;
    }
    int frames = Math.max(1, number(dump, "0028,0008", 1));
    List<byte[]> expected = new ArrayList<>();
    String base = file.getFileName().toString();
    if (Files.exists(out.resolve(base + ".1.raw"))) {
      List<byte[]> fragments = new ArrayList<>();
      for (int k = 1; Files.exists(out.resolve(base + "." + k + ".raw")); k++) {
        fragments.add(Files.readAllBytes(out.resolve(base + "." + k + ".raw")));
      }
      if (frames == 1) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        fragments.forEach(all::writeBytes);
        expected.add(all.toByteArray());
      } else {
        assertEquals(frames, fragments.size(), "the samples have one fragment per frame");
        expected.addAll(fragments);
      }
    } else {
      byte[] raw = Files.readAllBytes(out.resolve(base + ".0.raw"));
      long frameBits =
          (long) number(dump, "0028,0010", 0)
              * number(dump, "0028,0011", 0)
              * Math.max(1, number(dump, "0028,0002", 1))
              * number(dump, "0028,0100", 0);
      assumeTrue(frameBits % 8 == 0 && frameBits > 0, "sample frames are whole bytes");
      int size = (int) (frameBits / 8);
      if (raw.length < (long) frames * size) {
        // Pixel data shorter than its attributes say: refused rather than cut short.
        assertThrows(DicomParseException.class, () -> FrameIndex.build(file));
        COMPARED.incrementAndGet();
        return;
      }
      for (int k = 0; k < frames; k++) {
        expected.add(java.util.Arrays.copyOfRange(raw, k * size, (k + 1) * size));
      }
    }
    FrameIndex index = FrameIndex.build(file);
    assertEquals(expected.size(), index.frameCount());
    for (int k = 0; k < frames; k++) {
      assertArrayEquals(expected.get(k), cut(file, index, k), "frame " + k);
    }
    assertEquals(index, FrameIndex.fromBytes(index.toBytes()));
    COMPARED.incrementAndGet();
  }

  private static int number(String dump, String tag, int def) {
    Matcher m =
        Pattern.compile("^\\(" + tag + "\\) (?:US|IS) \\[?(\\d+)", Pattern.MULTILINE).matcher(dump);
    return m.find() ? Integer.parseInt(m.group(1)) : def;
  }

  static byte[] cut(Path file, FrameIndex index, int frame) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FileChannel ch = FileChannel.open(file)) {
      for (FrameIndex.Range r : index.ranges(frame)) {
        ByteBuffer b = ByteBuffer.allocate((int) r.length());
        ch.read(b, r.offset());
        out.writeBytes(b.array());
      }
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- generated objects

  private static Attributes image(int rows, int cols, int bits, int frames) {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7.2");
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5");
    ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
    ds.set(Tag.SamplesPerPixel, VR.US, new byte[] {1, 0});
    ds.set(Tag.Rows, VR.US, new byte[] {(byte) rows, 0});
    ds.set(Tag.Columns, VR.US, new byte[] {(byte) cols, 0});
    ds.set(Tag.BitsAllocated, VR.US, new byte[] {(byte) bits, 0});
    return ds;
  }

  @Test
  void generatedSixteenBitMultiFrame() throws IOException {
    Attributes ds = image(2, 3, 16, 4);
    ByteBuffer pixels = ByteBuffer.allocate(4 * 6 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < 4; f++) {
      for (int i = 0; i < 6; i++) {
        pixels.putShort((short) (f * 100 + i));
      }
    }
    ds.set(Tag.PixelData, VR.OW, pixels.array());
    Path file = dir.resolve("mf16.dcm");
    DicomOutputStream.writeFile(file, null, ds, UID.ExplicitVRLittleEndian);
    FrameIndex index = FrameIndex.build(file);
    assertEquals(4, index.frameCount());
    for (int f = 0; f < 4; f++) {
      ByteBuffer b = ByteBuffer.wrap(cut(file, index, f)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(12, b.capacity());
      for (int i = 0; i < 6; i++) {
        assertEquals(f * 100 + i, b.getShort());
      }
      assertEquals(0, index.bitOffset(f));
    }
  }

  @Test
  void generatedOneBitFramesThatDoNotStartOnAByte() throws IOException {
    // 3 frames of 3x5 = 15 bits, packed: frame k is bits 15k..15k+14, least significant first.
    Attributes ds = image(3, 5, 1, 3);
    boolean[][] frames = new boolean[3][15];
    byte[] packed = new byte[6];
    for (int f = 0; f < 3; f++) {
      for (int i = 0; i < 15; i++) {
        frames[f][i] = (f + i) % 3 == 0 || i == f;
        int bit = 15 * f + i;
        if (frames[f][i]) {
          packed[bit / 8] |= (byte) (1 << (bit % 8));
        }
      }
    }
    ds.set(Tag.PixelData, VR.OB, packed);
    Path file = dir.resolve("mf1.dcm");
    DicomOutputStream.writeFile(file, null, ds, UID.ExplicitVRLittleEndian);
    FrameIndex index = FrameIndex.build(file);
    int[] expectedBitOffsets = {0, 7, 6};
    int[] expectedLengths = {2, 3, 3}; // bits 0-14: bytes 0-1; 15-29: bytes 1-3; 30-44: bytes 3-5
    for (int f = 0; f < 3; f++) {
      assertEquals(expectedBitOffsets[f], index.bitOffset(f));
      byte[] bytes = cut(file, index, f);
      assertEquals(expectedLengths[f], bytes.length);
      for (int i = 0; i < 15; i++) {
        int bit = index.bitOffset(f) + i;
        assertEquals(frames[f][i], (bytes[bit / 8] >> (bit % 8) & 1) == 1, "frame " + f + " " + i);
      }
    }
    assertEquals(index, FrameIndex.fromBytes(index.toBytes()));
  }

  /**
   * The arithmetic the query service derives native frame indexes by (ADR 0073), from the
   * attributes and the Pixel Data value's range alone (as pydicom finds them: value offset,
   * length), equals the index of the parsed object: 15 frames of 32 bits (implicit VR), RGB with
   * Planar Configuration 1 (a frame is still contiguous, PS3.5 8.2; big endian), a 27-byte frame
   * (odd, with its pad byte), 1-bit (PS3.5 8.1.1), and the generated 1-bit frames that do not start
   * on a byte.
   */
  @Test
  void nativeArithmeticEqualsTheIndexOfTheParsedObject() throws IOException {
    assumeTrue(SampleFiles.present(), "pydicom samples missing");
    Path samples = SampleFiles.ROOT.resolve("test_files");
    // file, value offset, value length, rows, columns, samples per pixel, bits allocated, frames
    Object[][] facts = {
      {"rtdose.dcm", 1568L, 6000L, 10, 10, 1, 32, 15},
      {"ExplVR_BigEnd.dcm", 1012L, 14400L, 60, 80, 3, 8, 1},
      {"SC_rgb_small_odd.dcm", 1416L, 28L, 3, 3, 3, 8, 1},
      {"liver_1frame.dcm", 4316L, 32768L, 512, 512, 1, 1, 1},
      {"CT_small.dcm", 6300L, 32768L, 128, 128, 1, 16, 1}
    };
    for (Object[] f : facts) {
      assertEquals(FrameIndex.build(samples.resolve((String) f[0])), derived(f), (String) f[0]);
    }
    assertEquals(List.of(new FrameIndex.Range(1568 + 14 * 400, 400)), derived(facts[0]).ranges(14));
    assertEquals(List.of(new FrameIndex.Range(1416, 27)), derived(facts[2]).ranges(0));

    generatedOneBitFramesThatDoNotStartOnAByte();
    Path oneBit = dir.resolve("mf1.dcm");
    FrameIndex parsed = FrameIndex.build(oneBit);
    long start = parsed.ranges(0).get(0).offset();
    FrameIndex derived = FrameIndex.ofNative(start, 6, 3, 5, 1, 1, 3);
    assertEquals(parsed, derived);
    assertEquals(7, derived.bitOffset(1));
    assertEquals(List.of(new FrameIndex.Range(start + 1, 3)), derived.ranges(1));

    // Frames that do not fit in the value, or attributes missing: no index.
    assertThrows(
        IllegalArgumentException.class, () -> FrameIndex.ofNative(1568, 5999, 10, 10, 1, 32, 15));
    assertThrows(
        IllegalArgumentException.class, () -> FrameIndex.ofNative(100, 100, 0, 10, 1, 8, 1));
    assertThrows(
        IllegalArgumentException.class, () -> FrameIndex.ofNative(100, 100, 10, 10, 1, 0, 1));
  }

  private static FrameIndex derived(Object[] f) {
    return FrameIndex.ofNative(
        (long) f[1], (long) f[2], (int) f[3], (int) f[4], (int) f[5], (int) f[6], (int) f[7]);
  }

  private static Attributes encapsulated(byte[][] fragments, byte[] bot, int frames) {
    Attributes ds = image(4, 4, 8, frames);
    Fragments f = new Fragments(VR.OB, false);
    f.add(bot, -1);
    for (byte[] b : fragments) {
      f.add(b, -1);
    }
    ds.set(Tag.PixelData, VR.OB, f);
    return ds;
  }

  private static byte[] jpeg(int n, int id) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) id);
    if (n >= 2) {
      b[0] = (byte) 0xFF;
      b[1] = (byte) 0xD8;
    }
    return b;
  }

  private static byte[] le32(long... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putInt((int) x);
    }
    return b.array();
  }

  @Test
  void encapsulatedFromBasicOffsetTableWithMultiFragmentFrames() throws IOException {
    // frame 0 = fragments 1+2 (items of 8+10 and 8+6 bytes), frame 1 = fragment 3.
    byte[][] frags = {jpeg(10, 1), new byte[] {7, 7, 7, 7, 7, 7}, jpeg(4, 3)};
    Attributes ds = encapsulated(frags, le32(0, 18 + 14), 2);
    Path file = dir.resolve("bot.dcm");
    DicomOutputStream.writeFile(file, null, ds, UID.JPEGBaseline8Bit);
    FrameIndex index = FrameIndex.build(file);
    assertEquals(2, index.frameCount());
    assertEquals(2, index.ranges(0).size());
    ByteArrayOutputStream f0 = new ByteArrayOutputStream();
    f0.writeBytes(frags[0]);
    f0.writeBytes(frags[1]);
    assertArrayEquals(f0.toByteArray(), cut(file, index, 0));
    assertArrayEquals(frags[2], cut(file, index, 1));
    // the same without offset table: found by the JPEG SOI markers
    Path noBot = dir.resolve("nobot.dcm");
    DicomOutputStream.writeFile(
        noBot, null, encapsulated(frags, new byte[0], 2), UID.JPEGBaseline8Bit);
    FrameIndex byMarkers = FrameIndex.build(noBot);
    assertArrayEquals(f0.toByteArray(), cut(noBot, byMarkers, 0));
    assertArrayEquals(frags[2], cut(noBot, byMarkers, 1));
    // markers that do not give the frame count: refused, not guessed
    byte[][] unmarked = {new byte[] {1, 2}, new byte[] {3, 4}, new byte[] {5, 6}};
    Path bad = dir.resolve("bad.dcm");
    DicomOutputStream.writeFile(bad, null, encapsulated(unmarked, new byte[0], 2), UID.RLELossless);
    assertThrows(IllegalArgumentException.class, () -> FrameIndex.build(bad));
  }

  @Test
  void encapsulatedFromExtendedOffsetTable() throws IOException {
    byte[][] frags = {jpeg(10, 1), jpeg(6, 2), jpeg(4, 3)};
    Attributes ds = encapsulated(frags, new byte[0], 3);
    ByteBuffer eot = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    eot.putLong(0).putLong(18).putLong(18 + 14);
    ByteBuffer lengths = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    lengths.putLong(10).putLong(5).putLong(4); // frame 1 is 5 bytes padded to 6 in its item
    ds.set(Tag.ExtendedOffsetTable, VR.OV, eot.array());
    ds.set(Tag.ExtendedOffsetTableLengths, VR.OV, lengths.array());
    Path file = dir.resolve("eot.dcm");
    DicomOutputStream.writeFile(file, null, ds, UID.JPEGBaseline8Bit);
    FrameIndex index = FrameIndex.build(file);
    assertArrayEquals(frags[0], cut(file, index, 0));
    assertArrayEquals(java.util.Arrays.copyOf(frags[1], 5), cut(file, index, 1));
    assertArrayEquals(frags[2], cut(file, index, 2));
  }

  @Test
  void serializedFormIsCompactAndChecked() {
    Attributes ds = image(2, 2, 8, 2);
    ds.set(Tag.PixelData, VR.OB, new byte[8], 300);
    FrameIndex index;
    try {
      index = FrameIndex.of(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // "SFIX", version 1, flags 0, 2 frames; frame 0: 1 range, zigzag(300)=600 -> D8 04, length 4;
    // frame 1: 1 range, delta 0, length 4.
    byte[] expected = {'S', 'F', 'I', 'X', 1, 0, 2, 1, (byte) 0xD8, 0x04, 4, 1, 0, 4};
    assertArrayEquals(expected, index.toBytes());
    assertEquals(index, FrameIndex.fromBytes(expected));
    assertThrows(
        DicomParseException.class,
        () -> FrameIndex.fromBytes(java.util.Arrays.copyOf(expected, 10)));
    assertThrows(DicomParseException.class, () -> FrameIndex.fromBytes(new byte[] {'X'}));
    assertTrue(index.toString().contains("offset=304"));
  }
}
