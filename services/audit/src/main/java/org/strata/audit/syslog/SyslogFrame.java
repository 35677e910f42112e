package org.strata.audit.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One RFC 5424 syslog message in RFC 5425's octet-counting framing ({@code MSG-LEN SP SYSLOG-MSG}),
 * as IHE ATNA sends DICOM audit messages: facility 10 (authpriv), severity notice (warning for a
 * failed event), MSGID {@code IHE+RFC-3881}, no structured data, the XML as MSG in UTF-8 with a
 * BOM.
 */
public final class SyslogFrame {
  private static final int AUTHPRIV = 10;
  private static final int WARNING = 4;
  private static final int NOTICE = 5;
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private SyslogFrame() {}

  /**
   * The framed message.
   *
   * @param failed whether the event failed (severity warning instead of notice)
   */
  public static byte[] of(
      Instant timestamp, String hostName, String appName, long procId, boolean failed, String xml) {
    int pri = AUTHPRIV * 8 + (failed ? WARNING : NOTICE);
    String header =
        "<"
            + pri
            + ">1 "
            + timestamp.truncatedTo(ChronoUnit.MILLIS)
            + ' '
            + field(hostName, 255)
            + ' '
            + field(appName, 48)
            + ' '
            + procId
            + " IHE+RFC-3881 - ";
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    message.writeBytes(BOM);
    message.writeBytes(xml.getBytes(StandardCharsets.UTF_8));
    byte[] body = message.toByteArray();
    ByteArrayOutputStream framed = new ByteArrayOutputStream(body.length + 8);
    framed.writeBytes((body.length + " ").getBytes(StandardCharsets.US_ASCII));
    framed.writeBytes(body);
    return framed.toByteArray();
  }

  /** A header field: printable US-ASCII without spaces (RFC 5424 PRINTUSASCII), at most max. */
  static String field(String value, int max) {
    if (value == null || value.isBlank()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (b.length() == max) {
        break;
      }
      b.append(c >= 33 && c <= 126 ? c : '_');
    }
    return b.toString();
  }
}
