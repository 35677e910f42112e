package org.strata.bench.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Part 10 CT instances written by hand (explicit VR little endian, 16-bit monochrome), with fresh
 * UIDs each call: the same files go to every system in a benchmark run.
 */
final class SyntheticInstances {
  private SyntheticInstances() {}

  /** {@code count} instances of {@code rows x columns} 16-bit pixels in one study and series. */
  static List<byte[]> ct(int count, int rows, int columns, long seed) {
    Random random = new Random(seed);
    String root = "2.25." + Math.abs(random.nextLong());
    String study = root + ".1";
    String series = root + ".2";
    byte[] pixels = new byte[rows * columns * 2];
    random.nextBytes(pixels);
    List<byte[]> files = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      files.add(instance(study, series, root + ".3." + i, i, rows, columns, pixels));
    }
    return files;
  }

  /**
   * A multi-frame CT of {@code frames} frames, up to and including the Pixel Data element header:
   * the caller streams the {@code rows * columns * 2 * frames} pixel bytes after it.
   */
  static byte[] multiFrameHeader(int rows, int columns, int frames, long seed) {
    Random random = new Random(seed);
    String root = "2.25." + Math.abs(random.nextLong());
    long length = 2L * rows * columns * frames;
    if (length > 0xFFFFFFFEL) {
      throw new IllegalArgumentException("pixel data over 4 GiB needs encapsulation");
    }
    return file(root + ".1", root + ".2", root + ".3.1", 1, rows, columns, frames, length, null);
  }

  private static byte[] instance(
      String study, String series, String sop, int number, int rows, int columns, byte[] pixels) {
    return file(study, series, sop, number, rows, columns, 1, pixels.length, pixels);
  }

  private static byte[] file(
      String study,
      String series,
      String sop,
      int number,
      int rows,
      int columns,
      int frames,
      long pixelLength,
      byte[] pixels) {
    String ct = "1.2.840.10008.5.1.4.1.1.2";
    ByteArrayOutputStream ds =
        new ByteArrayOutputStream((pixels == null ? 0 : pixels.length) + 1024);
    str(ds, 0x00080016, "UI", ct);
    str(ds, 0x00080018, "UI", sop);
    str(ds, 0x00080020, "DA", "20250102");
    str(ds, 0x00080030, "TM", "101500");
    str(ds, 0x00080050, "SH", "ACC" + Math.abs(study.hashCode()));
    str(ds, 0x00080060, "CS", "CT");
    str(ds, 0x00100010, "PN", "Bench^Patient");
    str(ds, 0x00100020, "LO", "BENCH-1");
    str(ds, 0x00100021, "LO", "BENCH");
    str(ds, 0x00100030, "DA", "19600101");
    str(ds, 0x00100040, "CS", "O");
    str(ds, 0x0020000D, "UI", study);
    str(ds, 0x0020000E, "UI", series);
    str(ds, 0x00200011, "IS", "1");
    str(ds, 0x00200013, "IS", Integer.toString(number));
    us(ds, 0x00280002, 1);
    str(ds, 0x00280004, "CS", "MONOCHROME2");
    if (frames > 1) {
      str(ds, 0x00280008, "IS", Integer.toString(frames));
    }
    us(ds, 0x00280010, rows);
    us(ds, 0x00280011, columns);
    us(ds, 0x00280100, 16);
    us(ds, 0x00280101, 16);
    us(ds, 0x00280102, 15);
    us(ds, 0x00280103, 0);
    header(ds, 0x7FE00010, "OW", (int) pixelLength); // unsigned 32-bit on the wire
    if (pixels != null) {
      ds.writeBytes(pixels);
    }

    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    header(meta, 0x00020001, "OB", 2);
    meta.write(0);
    meta.write(1);
    str(meta, 0x00020002, "UI", ct);
    str(meta, 0x00020003, "UI", sop);
    str(meta, 0x00020010, "UI", "1.2.840.10008.1.2.1");
    str(meta, 0x00020012, "UI", "2.25.1");
    ByteArrayOutputStream file = new ByteArrayOutputStream(ds.size() + 512);
    file.writeBytes(new byte[128]);
    file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    header(file, 0x00020000, "UL", 4);
    file.writeBytes(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
    file.writeBytes(meta.toByteArray());
    file.writeBytes(ds.toByteArray());
    return file.toByteArray();
  }

  private static void us(ByteArrayOutputStream out, int tag, int value) {
    header(out, tag, "US", 2);
    out.write(value & 0xff);
    out.write((value >> 8) & 0xff);
  }

  private static void str(ByteArrayOutputStream out, int tag, String vr, String value) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    header(out, tag, vr, v.length + (v.length % 2));
    out.writeBytes(v);
    if (v.length % 2 == 1) {
      out.write(vr.equals("UI") ? 0 : ' ');
    }
  }

  private static void header(ByteArrayOutputStream out, int tag, String vr, int length) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16))
        .putShort((short) tag)
        .put(vr.getBytes(StandardCharsets.US_ASCII));
    if (vr.equals("OB") || vr.equals("OW")) {
      b.putShort((short) 0).putInt(length);
      out.write(b.array(), 0, 12);
    } else {
      b.putShort((short) length);
      out.write(b.array(), 0, 8);
    }
  }
}
