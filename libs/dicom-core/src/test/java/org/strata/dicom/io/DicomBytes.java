package org.strata.dicom.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import org.strata.dicom.VR;

/** Builds DICOM encodings byte by byte for tests, independently of the reader. */
final class DicomBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final boolean explicit;
  private final boolean bigEndian;

  DicomBytes(boolean explicit, boolean bigEndian) {
    this.explicit = explicit;
    this.bigEndian = bigEndian;
  }

  static DicomBytes explicitLE() {
    return new DicomBytes(true, false);
  }

  static DicomBytes implicitLE() {
    return new DicomBytes(false, false);
  }

  static DicomBytes explicitBE() {
    return new DicomBytes(true, true);
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  DicomBytes u16(int v) {
    if (bigEndian) {
      out.write(v >>> 8);
      out.write(v);
    } else {
      out.write(v);
      out.write(v >>> 8);
    }
    return this;
  }

  DicomBytes u32(long v) {
    if (bigEndian) {
      u16((int) (v >>> 16));
      u16((int) v);
    } else {
      u16((int) v);
      u16((int) (v >>> 16));
    }
    return this;
  }

  DicomBytes tag(int tag) {
    return u16(tag >>> 16).u16(tag & 0xFFFF);
  }

  DicomBytes raw(byte... b) {
    out.writeBytes(b);
    return this;
  }

  /** Header only, with any length (also lengths that do not match what follows). */
  DicomBytes header(int tag, String vr, long length) {
    tag(tag);
    if (!explicit) {
      return u32(length);
    }
    raw(vr.getBytes(StandardCharsets.US_ASCII));
    if (VR.ofName(vr) != null && VR.ofName(vr).explicitHeaderLength() == 12) {
      return u16(0).u32(length);
    }
    return u16((int) length);
  }

  DicomBytes element(int tag, String vr, byte[] value) {
    return header(tag, vr, value.length).raw(value);
  }

  DicomBytes string(int tag, String vr, String value) {
    byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
    if (b.length % 2 != 0) {
      b = java.util.Arrays.copyOf(b, b.length + 1);
      b[b.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
    }
    return element(tag, vr, b);
  }

  DicomBytes us(int tag, int value) {
    return header(tag, "US", 2).u16(value);
  }

  DicomBytes item(long length) {
    return tag(0xFFFEE000).u32(length);
  }

  DicomBytes itemDelimiter() {
    return tag(0xFFFEE00D).u32(0);
  }

  DicomBytes sequenceDelimiter() {
    return tag(0xFFFEE0DD).u32(0);
  }

  /** A Part 10 file: 128 zero bytes, "DICM", group 0002 in explicit VR LE, then the data set. */
  static byte[] part10(String transferSyntax, byte[] dataset) {
    DicomBytes meta = explicitLE();
    DicomBytes group = explicitLE();
    group.element(0x00020001, "OB", new byte[] {0, 1});
    group.string(0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.7");
    group.string(0x00020003, "UI", "1.2.3.4");
    group.string(0x00020010, "UI", transferSyntax);
    meta.raw(new byte[128]).raw("DICM".getBytes(StandardCharsets.US_ASCII));
    meta.header(0x00020000, "UL", 4).u32(group.size());
    meta.raw(group.bytes()).raw(dataset);
    return meta.bytes();
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }
}
