package org.strata.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.strata.testkit.hostile.HostileReport;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client would send (HTTP clients encode
 * or refuse them): raw bytes in the request line, lying Content-Length, bodies that end early or
 * never end. The body is written by its own thread while the answer is read, so a server that
 * answers early (and stops reading) is seen answering, not as a blocked write.
 */
public final class RawHttp {
  private static final int KEPT_BODY = 1 << 20;

  private RawHttp() {}

  /** Writes a request body; may throw once the server has stopped reading. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * The answer: the status (or -1 if the connection closed without one), the head, the first MiB of
   * the body; {@code hung} when nothing (or not all of it) came within the deadline.
   */
  public record Answer(int status, String head, byte[] bytes, boolean hung) {
    /** The body as UTF-8 text. */
    public String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    public HostileReport.Outcome outcome() {
      if (hung) {
        return HostileReport.Outcome.HUNG;
      }
      if (status >= 500) {
        return HostileReport.Outcome.SERVER_ERROR;
      }
      return status >= 200 && status < 400
          ? HostileReport.Outcome.ACCEPTED
          : HostileReport.Outcome.REFUSED; // a 4xx or a close
    }
  }

  /**
   * Sends {@code head} (request line and headers, ending with the empty line, or anything else),
   * then the body, then ends the output if {@code endOutput}, and reads the answer.
   */
  public static Answer exchange(
      String host, int port, byte[] head, Body body, boolean endOutput, int deadlineMillis)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), deadlineMillis);
      socket.setSoTimeout(deadlineMillis);
      OutputStream out = socket.getOutputStream();
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      out.write(head);
                      if (body != null) {
                        body.writeTo(out);
                      }
                      out.flush();
                      if (endOutput) {
                        socket.shutdownOutput();
                      }
                    } catch (IOException e) {
                      // The server stopped reading: its answer (or close) is what counts.
                    }
                  });
      try {
        return read(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        return new Answer(-1, "", new byte[0], true);
      } finally {
        writer.interrupt();
      }
    }
  }

  /**
   * One body-less request to 127.0.0.1:port, its target sent byte for byte (each char one byte,
   * ISO-8859-1, so {@code "\u00ff"} is the raw byte 0xFF), answered within 30 s.
   */
  public static Answer send(String method, int port, String target) throws IOException {
    return request("127.0.0.1", port, method, target, 30_000);
  }

  /** A GET or another body-less request with {@code Connection: close}. */
  public static Answer request(
      String host, int port, String method, String target, int deadlineMillis) throws IOException {
    String head =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nAccept: */*\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    return exchange(
        host, port, head.getBytes(StandardCharsets.ISO_8859_1), null, false, deadlineMillis);
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b;
      try {
        b = in.read();
      } catch (IOException e) {
        if (e instanceof SocketTimeoutException) {
          throw e;
        }
        b = -1; // reset by the server: a close
      }
      if (b < 0) {
        return new Answer(-1, headBytes.toString(StandardCharsets.ISO_8859_1), new byte[0], false);
      }
      headBytes.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (headBytes.size() > 256 * 1024) {
        throw new IOException("answer head over 256 KiB");
      }
    }
    String head = headBytes.toString(StandardCharsets.ISO_8859_1);
    int status = status(head);
    if (status >= 100 && status < 200) {
      return read(in); // an interim answer: the final one follows
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String lower = head.toLowerCase(Locale.ROOT);
    long length = contentLength(lower);
    try {
      if (lower.contains("transfer-encoding: chunked")) {
        readChunked(in, body);
      } else if (length >= 0) {
        copy(in, body, length);
      } else {
        copy(in, body, Long.MAX_VALUE);
      }
    } catch (SocketTimeoutException e) {
      return new Answer(status, head, body.toByteArray(), true);
    } catch (IOException e) {
      // Closed in the middle of the body: the status was given, that is the answer.
    }
    return new Answer(status, head, body.toByteArray(), false);
  }

  private static int status(String head) {
    // "HTTP/1.1 400 Bad Request"
    String[] parts = head.split(" ", 3);
    try {
      return parts.length >= 2 ? Integer.parseInt(parts[1].trim()) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long contentLength(String lowerHead) {
    int at = lowerHead.indexOf("\ncontent-length:");
    if (at < 0) {
      return -1;
    }
    int end = lowerHead.indexOf('\r', at + 1);
    return Long.parseLong(lowerHead.substring(at + "\ncontent-length:".length(), end).trim());
  }

  private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String line = line(in);
      int semicolon = line.indexOf(';');
      long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailers
        }
        return;
      }
      copy(in, body, size);
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        s.append((char) b);
      }
      if (s.length() > 8192) {
        throw new IOException("chunk line too long");
      }
    }
    if (b < 0) {
      throw new IOException("closed in a chunk line");
    }
    return s.toString();
  }

  private static void copy(InputStream in, ByteArrayOutputStream body, long length)
      throws IOException {
    byte[] buffer = new byte[65536];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        if (length == Long.MAX_VALUE) {
          return;
        }
        throw new IOException("closed in the body");
      }
      if (body.size() < KEPT_BODY) {
        body.write(buffer, 0, Math.min(n, KEPT_BODY - body.size()));
      }
      left -= n;
    }
  }
}
