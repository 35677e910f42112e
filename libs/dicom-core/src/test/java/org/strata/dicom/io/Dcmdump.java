package org.strata.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's dcmdump (DCMTK) on a file and reads its output back into {@link DumpLine}s.
 *
 * <p>Flags: {@code +L} prints long values whole, {@code -Un} keeps UIDs as numbers, {@code +Qn}
 * quotes control and non-ASCII bytes as XML character references (so one element is one line and
 * the bytes are recovered exactly), {@code +U8} converts text to UTF-8 where DCMTK's iconv can.
 * DCMDICTPATH is set to the public dictionary only: with DCMTK's private dictionary, private
 * elements of implicit VR files would get VRs that the standard does not define and we cannot know.
 */
public final class Dcmdump {

  /** Outcome of one run: null lines if dcmdump rejected the file. */
  public record Result(List<DumpLine> lines, boolean utf8) {
    public boolean rejected() {
      return lines == null;
    }
  }

  private static final Pattern LINE =
      Pattern.compile(
          "^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\S\\S) (.*?) *# *(\\d+|u/l), *\\d+ .*$");
  private static final Pattern CHAR_REF = Pattern.compile("&(#(\\d+)|amp|lt|gt|quot|apos);");

  private Dcmdump() {}

  static Optional<Path> executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "dcmdump");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static Optional<Path> publicDictionary() {
    try (var dirs = Files.list(Path.of("/usr/share"))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("libdcmtk"))
          .map(d -> d.resolve("dicom.dic"))
          .filter(Files::isRegularFile)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Dumps {@code file}: in UTF-8 if DCMTK can convert its character set, else raw bytes. */
  public static Result dump(Path file) throws IOException, InterruptedException {
    List<DumpLine> raw = run(file, false);
    if (raw == null) {
      return new Result(null, false);
    }
    // +U8 adds (0008,0005) ISO_IR 192 to data sets that have none: ask for it only when needed.
    boolean hasCharset = raw.stream().anyMatch(l -> l.tag().equals("(0008,0005)"));
    List<DumpLine> utf8 = hasCharset ? run(file, true) : null;
    return utf8 != null ? new Result(utf8, true) : new Result(raw, false);
  }

  private static List<DumpLine> run(Path file, boolean utf8)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(executable().orElseThrow().toString(), "-q", "+L", "-Un", "+Qn"));
    if (utf8) {
      cmd.add("+U8");
    }
    cmd.add(file.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    publicDictionary().ifPresent(d -> pb.environment().put("DCMDICTPATH", d.toString()));
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (p.waitFor() != 0) {
      return null;
    }
    List<DumpLine> lines = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.US_ASCII).split("\n")) {
      DumpLine d = parse(line);
      if (d != null) {
        lines.add(d);
      }
    }
    return lines;
  }

  /** Null for comments, blank lines and delimitation items (our model does not keep those). */
  static DumpLine parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        return null;
      }
      throw new IllegalStateException("unexpected dcmdump line: " + line);
    }
    String tag = "(" + m.group(2) + "," + m.group(3) + ")";
    if (tag.equals("(fffe,e00d)") || tag.equals("(fffe,e0dd)")) {
      return null;
    }
    int depth = m.group(1).length() / 2;
    String vr = m.group(4);
    String value = m.group(5);
    String length = m.group(6);
    if (vr.equals("up")) {
      vr = "UL"; // DCMTK's name for the UL offsets of DICOMDIR records
    } else if (vr.equals("??")) {
      vr = "UN"; // DCMTK's name for unknown VRs in groups 0001-0007, where it sees no private tags
    }
    if (tag.equals("(fffe,e000)") && vr.equals("na")) {
      // Items: "(Item with explicit length #=N)" or, in a DICOMDIR, "\"Directory Record\" X #=N".
      Matcher items = Pattern.compile("#=(\\d+)\\)?$").matcher(value);
      if (!items.find()) {
        throw new IllegalStateException("unexpected item line: " + line);
      }
      return new DumpLine(depth, tag, vr, "-", "#=" + items.group(1));
    }
    Matcher count =
        Pattern.compile("^\\((Sequence|Item|PixelSequence).*#=(\\d+)\\)$").matcher(value);
    if (count.matches()) {
      // Sequence and item lengths are not kept by Attributes: compare the counts only.
      return new DumpLine(
          depth,
          tag,
          vr,
          count.group(1).equals("PixelSequence") ? length : "-",
          "#=" + count.group(2));
    }
    if (value.equals("(no value available)")) {
      value = "";
    } else if (value.startsWith("[") && value.endsWith("]")) {
      value = decode(value.substring(1, value.length() - 1));
    }
    return new DumpLine(depth, tag, vr, length, value);
  }

  /** Undoes +Qn quoting. */
  private static String decode(String quoted) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    Matcher m = CHAR_REF.matcher(quoted);
    int last = 0;
    while (m.find()) {
      bytes.writeBytes(quoted.substring(last, m.start()).getBytes(StandardCharsets.ISO_8859_1));
      String ref = m.group(1);
      int b =
          switch (ref) {
            case "amp" -> '&';
            case "lt" -> '<';
            case "gt" -> '>';
            case "quot" -> '"';
            case "apos" -> '\'';
            default -> Integer.parseInt(m.group(2));
          };
      bytes.write(b);
      last = m.end();
    }
    bytes.writeBytes(quoted.substring(last).getBytes(StandardCharsets.ISO_8859_1));
    // One char per byte: the comparison is on bytes (UTF-8 bytes in +U8 mode).
    return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
  }
}
