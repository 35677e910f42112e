package org.strata.bench.ingest;

import static org.strata.bench.Part10Writer.header;
import static org.strata.bench.Part10Writer.str;
import static org.strata.bench.Part10Writer.us;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.strata.bench.Part10Writer;

/**
 * Part 10 CT instances written by hand (explicit VR little endian, 16-bit monochrome), with fresh
 * UIDs each call: the same files go to every system in a benchmark run.
 */
public final class SyntheticInstances {
  private SyntheticInstances() {}

  /** {@code count} instances of {@code rows x columns} 16-bit pixels in one study and series. */
  public static List<byte[]> ct(int count, int rows, int columns, long seed) {
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

    return Part10Writer.file(ct, sop, ds);
  }
}
