package org.strata.bench.viewer;

import static org.strata.bench.Part10Writer.header;
import static org.strata.bench.Part10Writer.str;
import static org.strata.bench.Part10Writer.us;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.strata.bench.Part10Writer;

/**
 * An axial CT series written by hand: 512 x 512 16-bit slices of a body phantom (an ellipse of soft
 * tissue with two lungs, a spine and noise, narrowing along the series), with the geometry, rescale
 * and window a viewer needs to stack and display them. Every slice differs, so no layer between the
 * server and the canvas can deduplicate them.
 */
final class SyntheticCt {
  static final int SIZE = 512;
  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  private static final double SPACING = 0.9765625; // mm: a 500 mm field of view
  private static final double THICKNESS = 1.25;

  /** The study's files and UIDs; the marker is what only this study's row in a study list shows. */
  record Study(String uid, String marker, List<byte[]> files) {
    long bytes() {
      return files.stream().mapToLong(f -> f.length).sum();
    }
  }

  private SyntheticCt() {}

  /** {@code slices} slices of one series in a new study of patient {@code Viewerbench^marker}. */
  static Study study(String marker, int slices, long seed) {
    String root = "2.25." + Long.toUnsignedString(seed * 1_000_003L + System.nanoTime() / 1000);
    String study = root + ".1";
    String series = root + ".2";
    String frame = root + ".4";
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> files = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      double z = -i * THICKNESS;
      double along = slices == 1 ? 0.5 : i / (double) (slices - 1);
      ByteArrayOutputStream ds = new ByteArrayOutputStream(SIZE * SIZE * 2 + 2048);
      String sop = root + ".3." + (i + 1);
      str(ds, 0x00080016, "UI", CT);
      str(ds, 0x00080018, "UI", sop);
      str(ds, 0x00080020, "DA", "20251201");
      str(ds, 0x00080030, "TM", "101500");
      str(ds, 0x00080050, "SH", "VB" + Math.abs(study.hashCode() % 100000));
      str(ds, 0x00080060, "CS", "CT");
      str(ds, 0x0008103E, "LO", "Axial " + slices);
      str(ds, 0x00100010, "PN", "Viewerbench^" + marker);
      str(ds, 0x00100020, "LO", "VB-" + marker);
      str(ds, 0x00100030, "DA", "19600101");
      str(ds, 0x00100040, "CS", "O");
      str(ds, 0x00180050, "DS", Double.toString(THICKNESS));
      str(ds, 0x0020000D, "UI", study);
      str(ds, 0x0020000E, "UI", series);
      str(ds, 0x00200010, "SH", "1");
      str(ds, 0x00200011, "IS", "1");
      str(ds, 0x00200013, "IS", Integer.toString(i + 1));
      str(ds, 0x00200032, "DS", "-250\\-250\\" + z);
      str(ds, 0x00200037, "DS", "1\\0\\0\\0\\1\\0");
      str(ds, 0x00200052, "UI", frame);
      str(ds, 0x00201041, "DS", Double.toString(z));
      us(ds, 0x00280002, 1);
      str(ds, 0x00280004, "CS", "MONOCHROME2");
      us(ds, 0x00280010, SIZE);
      us(ds, 0x00280011, SIZE);
      str(ds, 0x00280030, "DS", SPACING + "\\" + SPACING);
      us(ds, 0x00280100, 16);
      us(ds, 0x00280101, 12);
      us(ds, 0x00280102, 11);
      us(ds, 0x00280103, 0);
      str(ds, 0x00281050, "DS", "40");
      str(ds, 0x00281051, "DS", "400");
      str(ds, 0x00281052, "DS", "-1024");
      str(ds, 0x00281053, "DS", "1");
      byte[] pixels = slice(along, random);
      header(ds, 0x7FE00010, "OW", pixels.length);
      ds.writeBytes(pixels);
      files.add(Part10Writer.file(CT, sop, ds));
    }
    return new Study(study, marker, List.copyOf(files));
  }

  /** Stored values are Hounsfield units + 1024 (air 0, water 1024, bone about 1724). */
  private static byte[] slice(double along, SplittableRandom random) {
    byte[] out = new byte[SIZE * SIZE * 2];
    double bodyA = 200 - 40 * along;
    double bodyB = 140 - 25 * along;
    double lungA = 55 * (1 - Math.abs(along - 0.4));
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double dx = x - SIZE / 2.0;
        double dy = y - SIZE / 2.0;
        int hu;
        if (sq(dx / bodyA) + sq(dy / bodyB) > 1) {
          hu = -1000;
        } else if (sq(dx / 22) + sq((dy - bodyB * 0.6) / 22) <= 1) {
          hu = 700; // vertebra
        } else if (sq((Math.abs(dx) - bodyA * 0.45) / lungA) + sq(dy / (lungA * 1.6)) <= 1) {
          hu = -800; // lung
        } else {
          hu = 40;
        }
        int value = Math.clamp(hu + 1024 + random.nextInt(-20, 21), 0, 4095);
        int at = (y * SIZE + x) * 2;
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >> 8);
      }
    }
    return out;
  }

  private static double sq(double v) {
    return v * v;
  }
}
