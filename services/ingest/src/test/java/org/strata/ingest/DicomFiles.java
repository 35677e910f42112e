package org.strata.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small Part 10 files by hand (explicit VR little endian), independent of the code under
 * test, for instances with chosen UIDs and pixel data of a chosen size.
 */
final class DicomFiles {
  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  private DicomFiles() {}

  static byte[] instance(
      String study, String series, String sop, String patientId, int pixelBytes) {
    return instance(study, series, sop, patientId, null, pixelBytes);
  }

  /** An instance whose patient has an Issuer of Patient ID. */
  static byte[] instance(
      String study, String series, String sop, String patientId, String issuer, int pixelBytes) {
    ByteArrayOutputStream ds = new ByteArrayOutputStream();
    str(ds, 0x00080016, "UI", CT);
    str(ds, 0x00080018, "UI", sop);
    str(ds, 0x00080020, "DA", "20250102");
    str(ds, 0x00080060, "CS", "CT");
    str(ds, 0x00100010, "PN", "Test^Patient");
    if (patientId != null) {
      str(ds, 0x00100020, "LO", patientId);
    }
    if (issuer != null) {
      str(ds, 0x00100021, "LO", issuer);
    }
    str(ds, 0x0020000D, "UI", study);
    str(ds, 0x0020000E, "UI", series);
    if (pixelBytes >= 0) {
      header(ds, 0x7FE00010, "OW", pixelBytes);
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < chunk.length; i++) {
        chunk[i] = (byte) (i * 31);
      }
      for (int left = pixelBytes; left > 0; left -= chunk.length) {
        ds.write(chunk, 0, Math.min(left, chunk.length));
      }
    }
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    header(meta, 0x00020001, "OB", 2);
    meta.write(0);
    meta.write(1);
    str(meta, 0x00020002, "UI", CT);
    str(meta, 0x00020003, "UI", sop);
    str(meta, 0x00020010, "UI", EXPLICIT_LE);
    str(meta, 0x00020012, "UI", "1.2.3.4");
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(new byte[128]);
    file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    header(file, 0x00020000, "UL", 4);
    file.writeBytes(le32(meta.size()));
    file.writeBytes(meta.toByteArray());
    file.writeBytes(ds.toByteArray());
    return file.toByteArray();
  }

  /**
   * The generated CT study of the ingest tests (storescu, curl, dicomweb-client): {@code count}
   * instances of one series, SOP Instance UIDs {@code series.1} to {@code series.count}, in order.
   */
  static java.util.LinkedHashMap<String, byte[]> ctStudy(
      String study, String series, int count, String patientId, int pixelBytes) {
    java.util.LinkedHashMap<String, byte[]> files = new java.util.LinkedHashMap<>();
    for (int i = 1; i <= count; i++) {
      String sop = series + "." + i;
      files.put(sop, instance(study, series, sop, patientId, pixelBytes));
    }
    return files;
  }

  private static void str(ByteArrayOutputStream out, int tag, String vr, String value) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    int len = v.length + (v.length % 2);
    header(out, tag, vr, len);
    out.writeBytes(v);
    if (v.length % 2 == 1) {
      out.write(vr.equals("UI") ? 0 : ' ');
    }
  }

  private static void header(ByteArrayOutputStream out, int tag, String vr, int length) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16)).putShort((short) tag);
    b.put(vr.getBytes(StandardCharsets.US_ASCII));
    if (vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN")) {
      b.putShort((short) 0).putInt(length);
      out.write(b.array(), 0, 12);
    } else {
      b.putShort((short) length);
      out.write(b.array(), 0, 8);
    }
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
