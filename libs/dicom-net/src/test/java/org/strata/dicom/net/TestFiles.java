package org.strata.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.strata.dicom.UID;

/** A minimal Part 10 writer for generated test instances (implicit VR LE data sets). */
final class TestFiles {
  private TestFiles() {}

  static final String SC = "1.2.840.10008.5.1.4.1.1.7";

  /** A small secondary capture instance with a 4x4 8-bit image. */
  static byte[] smallInstance(String sopInstanceUid, int number) {
    ByteArrayOutputStream ds = new ByteArrayOutputStream();
    implicit(ds, 0x00080016, uid(SC));
    implicit(ds, 0x00080018, uid(sopInstanceUid));
    implicit(ds, 0x00080060, text("OT"));
    implicit(ds, 0x00100010, text("GENERATED^TEST"));
    implicit(ds, 0x00100020, text("GEN" + number));
    implicit(ds, 0x0020000D, uid("2.25.1234567890"));
    implicit(ds, 0x0020000E, uid("2.25.1234567890.1"));
    implicit(ds, 0x00200013, text(Integer.toString(number)));
    implicit(ds, 0x00280002, us(1));
    implicit(ds, 0x00280004, text("MONOCHROME2"));
    implicit(ds, 0x00280010, us(4));
    implicit(ds, 0x00280011, us(4));
    implicit(ds, 0x00280100, us(8));
    implicit(ds, 0x00280101, us(8));
    implicit(ds, 0x00280102, us(7));
    implicit(ds, 0x00280103, us(0));
    byte[] pixels = new byte[16];
    for (int i = 0; i < 16; i++) {
      pixels[i] = (byte) (number + i);
    }
    implicit(ds, 0x7FE00010, pixels);
    return part10(SC, sopInstanceUid, UID.ImplicitVRLittleEndian, ds.toByteArray());
  }

  static byte[] part10(String sopClass, String sopInstance, String ts, byte[] dataset) {
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    explicit(meta, 0x00020001, "OB", new byte[] {0, 1});
    explicit(meta, 0x00020002, "UI", uid(sopClass));
    explicit(meta, 0x00020003, "UI", uid(sopInstance));
    explicit(meta, 0x00020010, "UI", uid(ts));
    explicit(meta, 0x00020012, "UI", uid(Implementation.CLASS_UID));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    byte[] m = meta.toByteArray();
    explicit(out, 0x00020000, "UL", le32(m.length));
    out.writeBytes(m);
    out.writeBytes(dataset);
    return out.toByteArray();
  }

  static Path write(Path dir, String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  /** Inflates raw deflate data (for comparing deflated data sets, whose compression may vary). */
  static byte[] inflate(byte[] deflated) throws IOException {
    try (InputStream in =
        new InflaterInputStream(new java.io.ByteArrayInputStream(deflated), new Inflater(true))) {
      return in.readAllBytes();
    }
  }

  private static void implicit(ByteArrayOutputStream out, int tag, byte[] value) {
    out.writeBytes(le16(tag >>> 16));
    out.writeBytes(le16(tag & 0xFFFF));
    out.writeBytes(le32(value.length));
    out.writeBytes(value);
  }

  private static void explicit(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
    out.writeBytes(le16(tag >>> 16));
    out.writeBytes(le16(tag & 0xFFFF));
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    if (vr.equals("OB")) {
      out.writeBytes(new byte[2]);
      out.writeBytes(le32(value.length));
    } else {
      out.writeBytes(le16(value.length));
    }
    out.writeBytes(value);
  }

  static byte[] uid(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return (b.length & 1) == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
  }

  static byte[] text(String s) {
    String p = (s.length() & 1) == 0 ? s : s + " ";
    return p.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] us(int v) {
    return le16(v);
  }

  static byte[] le16(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8)};
  }

  static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}
