package org.strata.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.strata.testkit.RawHttp;
import org.strata.testkit.hostile.HostileReport.Outcome;

/**
 * Hostile STOW-RS requests to {@code POST path}: broken multipart bodies (no boundary, wrong
 * content types, endless part headers, truncated bodies, lying lengths) and mutated Part 10 objects
 * in otherwise valid requests.
 */
public final class HostileStow {
  static final String BOUNDARY = "hostile-boundary-8c1f";
  private static final String RELATED =
      "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

  /** How much an endless header is allowed to grow before the suite gives up writing it. */
  private static final long ENDLESS = 64L << 20;

  private final String host;
  private final int port;
  private final String path;
  private final HostileRun run;
  private final HostileReport report;

  public HostileStow(String host, int port, String path, HostileRun run, HostileReport report) {
    this.host = host;
    this.port = port;
    this.path = path;
    this.run = run;
    this.report = report;
  }

  /** A request: its Content-Type (null: none) and body, sent as described. */
  record Request(
      String name,
      String contentType,
      RawHttp.Body body,
      Long contentLength,
      boolean chunked,
      boolean endOutput) {}

  public static byte[] multipart(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(
          ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(p);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The fixed broken bodies, then {@code iterations} valid bodies with their framing mutated. */
  public void multipartBodies(byte[] validInstance) {
    byte[] valid = multipart(List.of(validInstance));
    List<Request> fixed = new ArrayList<>();
    fixed.add(
        bytes("no boundary parameter", "multipart/related; type=\"application/dicom\"", valid));
    fixed.add(bytes("no Content-Type", null, valid));
    fixed.add(
        bytes(
            "boundary not in the body",
            "multipart/related; type=\"application/dicom\"; boundary=other",
            valid));
    fixed.add(
        bytes(
            "empty boundary",
            "multipart/related; type=\"application/dicom\"; boundary=\"\"",
            valid));
    fixed.add(
        bytes(
            "boundary of 300 chars",
            "multipart/related; type=\"application/dicom\"; boundary=" + "b".repeat(300),
            valid));
    for (String type :
        List.of(
            "text/plain",
            "application/json",
            "application/dicom",
            "multipart/mixed; boundary=" + BOUNDARY,
            "multipart/related; type=\"application/dicom+xml\"; boundary=" + BOUNDARY,
            "multipart/related; type=\"image/jpeg\"; boundary=" + BOUNDARY,
            "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY + "; boundary=x",
            ";;;;;",
            "multipart/related; type=\"application/dicom\"; boundary="
                + BOUNDARY
                + "; charset=\u00ff\u0000",
            "multipart/related; type=\"application/dicom\"; boundary="
                + BOUNDARY
                + "; "
                + "p=v;".repeat(2000))) {
      fixed.add(bytes("Content-Type " + abbreviate(type), type, valid));
    }
    fixed.add(bytes("empty body", RELATED, new byte[0]));
    fixed.add(
        bytes(
            "close delimiter only",
            RELATED,
            ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
    fixed.add(
        bytes(
            "no close delimiter",
            RELATED,
            Arrays.copyOf(valid, valid.length - BOUNDARY.length() - 6)));
    fixed.add(
        bytes(
            "part without headers",
            RELATED,
            replace(valid, "Content-Type: application/dicom\r\n", "")));
    fixed.add(
        bytes(
            "part of type text/plain",
            RELATED,
            replace(valid, "application/dicom\r\n", "text/plain\r\n")));
    fixed.add(
        bytes(
            "part of type garbage",
            RELATED,
            replace(valid, "application/dicom\r\n", "\u00ff\u0001;=\"\r\n")));
    fixed.add(
        bytes(
            "part Content-Length lies (huge)",
            RELATED,
            replace(
                valid,
                "application/dicom\r\n",
                "application/dicom\r\nContent-Length: 99999999999\r\n")));
    fixed.add(
        bytes(
            "part Content-Length lies (small)",
            RELATED,
            replace(valid, "application/dicom\r\n", "application/dicom\r\nContent-Length: 3\r\n")));
    fixed.add(
        bytes(
            "part header without colon",
            RELATED,
            replace(valid, "Content-Type: application/dicom\r\n", "garbage header line\r\n")));
    fixed.add(bytes("1 MiB preamble", RELATED, concat(new byte[1 << 20], valid)));
    fixed.add(bytes("nested multipart", RELATED, multipart(List.of(valid))));
    ByteArrayOutputStream empties = new ByteArrayOutputStream();
    for (int i = 0; i < 10_000; i++) {
      empties.writeBytes(
          ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
    }
    empties.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    fixed.add(bytes("10,000 empty parts", RELATED, empties.toByteArray()));
    fixed.add(
        new Request(
            "endless part headers",
            RELATED,
            out -> {
              out.write(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
              byte[] line =
                  ("X-Hostile: " + "h".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
              for (long sent = 0; sent < ENDLESS; sent += line.length) {
                out.write(line);
              }
            },
            null,
            true,
            true));
    fixed.add(
        new Request(
            "endless part header line",
            RELATED,
            out -> {
              out.write(("--" + BOUNDARY + "\r\nX-Hostile: ").getBytes(StandardCharsets.US_ASCII));
              byte[] chunk = new byte[65536];
              Arrays.fill(chunk, (byte) 'h');
              for (long sent = 0; sent < ENDLESS; sent += chunk.length) {
                out.write(chunk);
              }
            },
            null,
            true,
            true));
    fixed.add(
        new Request(
            "body shorter than Content-Length",
            RELATED,
            out -> out.write(valid, 0, valid.length / 2),
            (long) valid.length,
            false,
            true));
    fixed.add(
        new Request(
            "Content-Length 1 TB, body short",
            RELATED,
            out -> out.write(valid),
            1L << 40,
            false,
            true));
    fixed.add(
        new Request(
            "chunked, truncated in a chunk",
            RELATED,
            out -> {
              out.write(("1000\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(valid, 0, Math.min(valid.length, 100));
            },
            null,
            false,
            true));
    fixed.add(
        new Request(
            "chunked, chunk size garbage",
            RELATED,
            out -> out.write("zz\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
            null,
            false,
            false));
    fixed.add(
        new Request(
            "chunked, chunk size 2^48",
            RELATED,
            out -> out.write("FFFFFFFFFFFF\r\nabc".getBytes(StandardCharsets.US_ASCII)),
            null,
            false,
            true));
    for (int i = 0; i < fixed.size(); i++) {
      send("stow-multipart", i, fixed.get(i));
    }
    for (int i = 0; i < run.iterations(); i++) {
      if (!run.selected("stow-multipart-random", i)) {
        continue;
      }
      SplittableRandom random = run.random("stow-multipart-random", i);
      byte[] body = valid.clone();
      StringBuilder at = new StringBuilder();
      // The framing: the first 80 bytes and the last 60, where the delimiters are.
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        int pos =
            random.nextBoolean()
                ? random.nextInt(Math.min(80, body.length))
                : body.length - 1 - random.nextInt(Math.min(60, body.length));
        body[pos] = (byte) random.nextInt(256);
        at.append(pos).append(' ');
      }
      send(
          "stow-multipart-random",
          i,
          bytes("framing bytes changed at " + at.toString().trim(), RELATED, body));
    }
  }

  /** {@code iterations} mutated samples, each alone in a valid STOW-RS request. */
  public void part10(List<Part10Samples.Sample> samples) {
    List<Part10Samples.Sample> usable =
        samples.stream().filter(Part10Samples.Sample::renamable).toList();
    for (int i = 0; i < run.iterations(); i++) {
      if (!run.selected("stow-part10", i)) {
        continue;
      }
      SplittableRandom random = run.random("stow-part10", i);
      Part10Samples.Sample s = usable.get(random.nextInt(usable.size())).withNewSopInstance(random);
      Part10Mutator.Mutation m =
          Part10Mutator.mutate(s.bytes(), s.datasetOffset(), s.transferSyntax(), random);
      send(
          "stow-part10",
          i,
          bytes(s.name() + ", " + m.description(), RELATED, multipart(List.of(m.bytes()))));
    }
  }

  private static Request bytes(String name, String contentType, byte[] body) {
    return new Request(name, contentType, out -> out.write(body), (long) body.length, false, false);
  }

  private void send(String kind, int index, Request r) {
    if (!run.selected(kind, index)) {
      return;
    }
    StringBuilder head = new StringBuilder();
    head.append("POST ")
        .append(path)
        .append(" HTTP/1.1\r\nHost: ")
        .append(host)
        .append(':')
        .append(port)
        .append("\r\n");
    head.append("Accept: application/dicom+json\r\nConnection: close\r\n");
    if (r.contentType() != null) {
      head.append("Content-Type: ").append(r.contentType()).append("\r\n");
    }
    if (r.contentLength() != null) {
      head.append("Content-Length: ").append(r.contentLength()).append("\r\n");
    }
    if (r.chunked() || (r.contentLength() == null && r.name().startsWith("chunked"))) {
      head.append("Transfer-Encoding: chunked\r\n");
    }
    head.append("\r\n");
    RawHttp.Body body = r.body();
    if (r.chunked()) {
      RawHttp.Body plain = body;
      body = out -> plain.writeTo(new ChunkedOutput(out));
    }
    String description = "POST " + path + ": " + r.name();
    Outcome outcome;
    try {
      RawHttp.Answer a =
          RawHttp.exchange(
              host,
              port,
              head.toString().getBytes(StandardCharsets.ISO_8859_1),
              body,
              r.endOutput(),
              run.deadlineMillis());
      outcome = a.outcome();
      if (outcome == Outcome.SERVER_ERROR) {
        description +=
            " -> "
                + a.head().lines().findFirst().orElse("")
                + " "
                + new String(a.bytes(), 0, Math.min(a.bytes().length, 300), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      outcome = Outcome.REFUSED;
    }
    report.record(kind, index, outcome, description);
  }

  /**
   * Writes what it is given as HTTP chunks (never the last chunk: the bodies using it never end).
   */
  private static final class ChunkedOutput extends OutputStream {
    private final OutputStream out;

    ChunkedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b, off, len);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static byte[] replace(byte[] body, String what, String by) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    return s.replaceFirst(
            java.util.regex.Pattern.quote(what), java.util.regex.Matcher.quoteReplacement(by))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
