package org.strata.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.strata.ingest.service.BodyPart;
import org.strata.ingest.service.BodyParts;

/**
 * Reads a {@code multipart/related} body (RFC 2387, RFC 2046 section 5.1) part by part as streams,
 * never holding a part in memory: each part's body ends where the next delimiter starts, found with
 * a sliding window no larger than the read buffer. The body of the current part must be read (or is
 * skipped) before the next part is asked for.
 */
public final class MultipartRelatedReader implements BodyParts {
  /** Bad framing: no opening delimiter, truncated body, oversized part headers. */
  public static final class MalformedMultipartException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedMultipartException(String message) {
      super(message);
    }
  }

  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /**
   * RFC 2046 allows 70 characters; real senders use more (Orthanc's DICOMweb plugin: 73), so up to
   * 256 are accepted.
   */
  public static final int MAX_BOUNDARY = 256;

  private final InputStream in;
  private final byte[] delimiter; // CRLF "--" boundary
  private final byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private boolean finished;
  private PartBody current;

  public MultipartRelatedReader(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      throw new IllegalArgumentException(
          "a multipart boundary has 1 to " + MAX_BOUNDARY + " characters");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.buf = new byte[64 * 1024 + delimiter.length];
  }

  /** The next part, or null after the closing delimiter. */
  @Override
  public BodyPart next() throws IOException {
    if (finished) {
      return null;
    }
    if (current == null) {
      skipPreamble();
    } else {
      current.skipRest();
    }
    // After a delimiter: "--" closes the body, otherwise transport padding and CRLF.
    if (!fill(2)) {
      throw new MalformedMultipartException("multipart body ends after a delimiter");
    }
    if (buf[start] == '-' && buf[start + 1] == '-') {
      finished = true;
      return null;
    }
    skipLinearWhitespace();
    expectCrlf();
    Map<String, String> headers = readHeaders();
    current = new PartBody();
    return new BodyPart(headers, current);
  }

  /** The first delimiter may come without the leading CRLF, after an ignorable preamble. */
  private void skipPreamble() throws IOException {
    byte[] first = java.util.Arrays.copyOfRange(delimiter, 2, delimiter.length);
    if (fill(first.length) && startsWith(first, start)) {
      start += first.length;
      return;
    }
    PartBody preamble = new PartBody();
    preamble.skipRest();
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      String line = readLine();
      total += line.length() + 2;
      if (total > MAX_HEADER_BYTES) {
        throw new MalformedMultipartException("part headers exceed " + MAX_HEADER_BYTES + " bytes");
      }
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedMultipartException("malformed part header line");
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (!fill(1)) {
        throw new MalformedMultipartException("multipart body ends inside part headers");
      }
      byte b = buf[start++];
      if (b == '\r') {
        if (!fill(1) || buf[start] != '\n') {
          throw new MalformedMultipartException("bare CR in part headers");
        }
        start++;
        return line.toString();
      }
      if (line.length() >= MAX_HEADER_BYTES) {
        throw new MalformedMultipartException("part header line too long");
      }
      line.append((char) (b & 0xff));
    }
  }

  private void skipLinearWhitespace() throws IOException {
    while (fill(1) && (buf[start] == ' ' || buf[start] == '\t')) {
      start++;
    }
  }

  private void expectCrlf() throws IOException {
    if (!fill(2) || buf[start] != '\r' || buf[start + 1] != '\n') {
      throw new MalformedMultipartException("delimiter line not ended by CRLF");
    }
    start += 2;
  }

  private boolean startsWith(byte[] pattern, int at) {
    for (int i = 0; i < pattern.length; i++) {
      if (buf[at + i] != pattern[i]) {
        return false;
      }
    }
    return true;
  }

  /** Ensures at least {@code n} unread bytes in the buffer, unless the input ends first. */
  private boolean fill(int n) throws IOException {
    if (end - start >= n) {
      return true;
    }
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    while (end - start < n && !eof) {
      int read = in.read(buf, end, buf.length - end);
      if (read < 0) {
        eof = true;
      } else {
        end += read;
      }
    }
    return end - start >= n;
  }

  /** The body of the current part: bytes up to (not including) the next delimiter. */
  private final class PartBody extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      fill(delimiter.length);
      int available = end - start;
      // Where does the delimiter start, if it starts within the len bytes asked for? (Looking
      // further is wasted: the caller reads the buffer in pieces, and each read scanned it all.)
      int limit = Math.min(available - delimiter.length, len - 1);
      for (int i = 0; i <= limit; i++) {
        if (buf[start + i] == delimiter[0] && startsWith(delimiter, start + i)) {
          if (i == 0) {
            start += delimiter.length;
            done = true;
            return -1;
          }
          int n = Math.min(i, len);
          System.arraycopy(buf, start, b, off, n);
          start += n;
          return n;
        }
      }
      if (eof && available < delimiter.length) {
        throw new MalformedMultipartException("multipart body truncated: no closing delimiter");
      }
      // No delimiter here: everything but a possible delimiter prefix at the end is body.
      int safe = Math.max(0, available - (delimiter.length - 1));
      int n = Math.min(safe, len);
      if (n == 0) {
        if (eof) {
          throw new MalformedMultipartException("multipart body truncated: no closing delimiter");
        }
        fill(available + 1);
        return read(b, off, len);
      }
      System.arraycopy(buf, start, b, off, n);
      start += n;
      return n;
    }

    void skipRest() throws IOException {
      byte[] scratch = new byte[8192];
      while (read(scratch, 0, scratch.length) >= 0) {
        // discard
      }
    }
  }
}
