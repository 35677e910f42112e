package org.strata.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds multipart/related bodies for STOW-RS requests. */
final class Multipart {
  static final String BOUNDARY = "strata-test-boundary-1f2e3d";
  static final String CONTENT_TYPE =
      "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

  private Multipart() {}

  static byte[] of(List<byte[]> parts) {
    return of(parts, "application/dicom");
  }

  static byte[] of(List<byte[]> parts, String partType) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(
          ("--" + BOUNDARY + "\r\nContent-Type: " + partType + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
