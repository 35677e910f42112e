package org.strata.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request with its request target sent byte for byte as given: HTTP clients encode or
 * refuse the hostile targets (raw non-ASCII bytes, NUL, malformed escapes) the services must answer
 * with 4xx.
 */
public final class RawHttp {
  /** The status and the body (headers and chunk framing dropped only up to the blank line). */
  public record Answer(int status, String head, String body) {}

  private RawHttp() {}

  /**
   * @param target the request target; each char is sent as one byte (ISO-8859-1), so {@code
   *     "\u00ff"} is the raw byte 0xFF
   */
  public static Answer send(String method, int port, String target) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      String request =
          method
              + " "
              + target
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nAccept: */*\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int blank = answer.indexOf("\r\n\r\n");
      String head = blank < 0 ? answer : answer.substring(0, blank);
      String body = blank < 0 ? "" : answer.substring(blank + 4);
      String[] statusLine = head.split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP answer: " + head);
      }
      return new Answer(Integer.parseInt(statusLine[1]), head, body);
    }
  }
}
