package org.strata.query.wado;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes a {@code multipart/related} body (RFC 2387, PS3.18 8.6.1.2) part by part onto a stream:
 * each part's headers, then its bytes from the caller, then the closing delimiter. Nothing is
 * buffered beyond the output's own buffer.
 */
public final class Multipart {
  private final OutputStream out;
  private final String boundary;

  /** A writer using {@code boundary}, the one announced in the response's Content-Type. */
  public Multipart(OutputStream out, String boundary) {
    this.out = out;
    this.boundary = boundary;
  }

  /** A fresh boundary (a random UUID: it cannot occur by chance in the parts). */
  public static String newBoundary() {
    return UUID.randomUUID().toString();
  }

  /** The response's Content-Type: {@code multipart/related; type="..."; boundary=...}. */
  public static String contentType(String partType, String boundary) {
    return "multipart/related; type=\"" + partType + "\"; boundary=" + boundary;
  }

  /** Starts a part: delimiter and headers; the caller then writes exactly {@code length} bytes. */
  public void startPart(String contentType, long length) throws IOException {
    ascii("--" + boundary + "\r\nContent-Type: " + contentType + "\r\n");
    if (length >= 0) {
      ascii("Content-Length: " + length + "\r\n");
    }
    ascii("\r\n");
  }

  /** Ends a part (the CRLF that belongs to the next delimiter). */
  public void endPart() throws IOException {
    ascii("\r\n");
  }

  /** The closing delimiter. */
  public void finish() throws IOException {
    ascii("--" + boundary + "--\r\n");
    out.flush();
  }

  private void ascii(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
  }
}
