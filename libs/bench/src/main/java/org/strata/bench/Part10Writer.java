package org.strata.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few explicit VR little endian elements the benchmarks' generated files need, and the Part 10
 * wrapping. Written by hand rather than with dicom-core so the benchmark files do not depend on the
 * code they measure (dcmdump checks them in the bench tests).
 */
public final class Part10Writer {
  public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  private Part10Writer() {}

  public static void us(ByteArrayOutputStream out, int tag, int value) {
    header(out, tag, "US", 2);
    out.write(value & 0xff);
    out.write((value >> 8) & 0xff);
  }

  /** A text value (UTF-8), padded to even length with NUL for UI and space otherwise. */
  public static void str(ByteArrayOutputStream out, int tag, String vr, String value) {
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    header(out, tag, vr, v.length + (v.length % 2));
    out.writeBytes(v);
    if (v.length % 2 == 1) {
      out.write(vr.equals("UI") ? 0 : ' ');
    }
  }

  /** An element header; {@code length} is written as unsigned 32 bits for OB and OW. */
  public static void header(ByteArrayOutputStream out, int tag, String vr, int length) {
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

  /**
   * The Image Pixel module of a single-frame 16-bit MONOCHROME2 image, then its Pixel Data (OW),
   * the last elements of a data set.
   */
  public static void monochrome16(ByteArrayOutputStream ds, int rows, int columns, byte[] pixels) {
    us(ds, 0x00280002, 1);
    str(ds, 0x00280004, "CS", "MONOCHROME2");
    us(ds, 0x00280010, rows);
    us(ds, 0x00280011, columns);
    us(ds, 0x00280100, 16);
    us(ds, 0x00280101, 16);
    us(ds, 0x00280102, 15);
    us(ds, 0x00280103, 0);
    header(ds, 0x7FE00010, "OW", pixels.length);
    ds.writeBytes(pixels);
  }

  /** Preamble, DICM, file meta information (explicit VR little endian) and the data set. */
  public static byte[] file(String sopClass, String sop, ByteArrayOutputStream dataset) {
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    header(meta, 0x00020001, "OB", 2);
    meta.write(0);
    meta.write(1);
    str(meta, 0x00020002, "UI", sopClass);
    str(meta, 0x00020003, "UI", sop);
    str(meta, 0x00020010, "UI", EXPLICIT_LE);
    str(meta, 0x00020012, "UI", "2.25.1");
    ByteArrayOutputStream file = new ByteArrayOutputStream(dataset.size() + 512);
    file.writeBytes(new byte[128]);
    file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    header(file, 0x00020000, "UL", 4);
    file.writeBytes(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
    file.writeBytes(meta.toByteArray());
    file.writeBytes(dataset.toByteArray());
    return file.toByteArray();
  }
}
