package org.strata.dicom;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes text values as (0008,0005) Specific Character Set says (PS3.3 C.12.1.1.2, PS3.5 6.1).
 *
 * <p>Two families of defined terms exist. Terms without code extensions ("ISO_IR 100", "ISO_IR
 * 192", "GB18030", ...) name one character set: the value is decoded with the matching JDK charset.
 * Terms with code extensions ("ISO 2022 IR 87", ...) designate character sets into the G0 (bytes
 * 21-7E) and G1 (bytes A1-FE) areas and values switch between them with ISO 2022 escape sequences;
 * this class interprets those escapes itself and decodes each run with the JDK charset of the
 * designated set (EUC-JP for JIS X 0208/0212, EUC-KR for KS X 1001, GB2312, the ISO 8859 parts).
 *
 * <p>Leniency, on purpose for an archive that must accept what modalities send: an empty or unknown
 * term and bytes above 7F under the default repertoire are read as ISO 8859-1 rather than rejected;
 * unmappable bytes become U+FFFD.
 */
public final class SpecificCharacterSet {

  private static final Map<String, SpecificCharacterSet> CACHE = new ConcurrentHashMap<>();
  private static final byte ESC = 0x1B;

  /** A character set that can be designated to G0 or G1 by an escape sequence. */
  private enum CodeSet {
    ASCII(0, "US-ASCII", 1, "(B"),
    JIS_ROMAN(0, "US-ASCII", 1, "(J"), // differs from ASCII at 5C/7E only; read as ASCII
    JIS_X0208(0, "EUC-JP", 2, "$B"),
    JIS_X0212(0, "EUC-JP", 3, "$(D"),
    JIS_KATAKANA(1, "JIS_X0201", 1, ")I"),
    LATIN1(1, "ISO-8859-1", 1, "-A"),
    LATIN2(1, "ISO-8859-2", 1, "-B"),
    LATIN3(1, "ISO-8859-3", 1, "-C"),
    LATIN4(1, "ISO-8859-4", 1, "-D"),
    CYRILLIC(1, "ISO-8859-5", 1, "-L"),
    ARABIC(1, "ISO-8859-6", 1, "-G"),
    GREEK(1, "ISO-8859-7", 1, "-F"),
    HEBREW(1, "ISO-8859-8", 1, "-H"),
    LATIN5(1, "ISO-8859-9", 1, "-M"),
    THAI(1, "TIS-620", 1, "-T"),
    KS_X1001(1, "EUC-KR", 2, "$)C"),
    GB2312(1, "GB2312", 2, "$)A");

    final int area;
    final String charset;
    final int bytes;
    final byte[] escape;

    CodeSet(int area, String charset, int bytes, String escape) {
      this.area = area;
      this.charset = charset;
      this.bytes = bytes;
      this.escape = escape.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** What one defined term means: a plain charset, or G0/G1 designations for ISO 2022. */
  private record Term(Charset plain, CodeSet g0, CodeSet g1) {}

  private static final Map<String, Term> TERMS =
      Map.ofEntries(
          Map.entry("", new Term(StandardCharsets.ISO_8859_1, CodeSet.ASCII, null)),
          Map.entry("ISO_IR 6", new Term(StandardCharsets.ISO_8859_1, CodeSet.ASCII, null)),
          Map.entry("ISO_IR 100", new Term(charset("ISO-8859-1"), CodeSet.ASCII, CodeSet.LATIN1)),
          Map.entry("ISO_IR 101", new Term(charset("ISO-8859-2"), CodeSet.ASCII, CodeSet.LATIN2)),
          Map.entry("ISO_IR 109", new Term(charset("ISO-8859-3"), CodeSet.ASCII, CodeSet.LATIN3)),
          Map.entry("ISO_IR 110", new Term(charset("ISO-8859-4"), CodeSet.ASCII, CodeSet.LATIN4)),
          Map.entry("ISO_IR 144", new Term(charset("ISO-8859-5"), CodeSet.ASCII, CodeSet.CYRILLIC)),
          Map.entry("ISO_IR 127", new Term(charset("ISO-8859-6"), CodeSet.ASCII, CodeSet.ARABIC)),
          Map.entry("ISO_IR 126", new Term(charset("ISO-8859-7"), CodeSet.ASCII, CodeSet.GREEK)),
          Map.entry("ISO_IR 138", new Term(charset("ISO-8859-8"), CodeSet.ASCII, CodeSet.HEBREW)),
          Map.entry("ISO_IR 148", new Term(charset("ISO-8859-9"), CodeSet.ASCII, CodeSet.LATIN5)),
          Map.entry("ISO_IR 203", new Term(charset("ISO-8859-15"), CodeSet.ASCII, null)),
          Map.entry("ISO_IR 166", new Term(charset("TIS-620"), CodeSet.ASCII, CodeSet.THAI)),
          Map.entry("ISO_IR 13", new Term(null, CodeSet.JIS_ROMAN, CodeSet.JIS_KATAKANA)),
          Map.entry("ISO_IR 192", new Term(StandardCharsets.UTF_8, null, null)),
          Map.entry("GB18030", new Term(charset("GB18030"), null, null)),
          Map.entry("GBK", new Term(charset("GBK"), null, null)),
          Map.entry("ISO 2022 IR 6", new Term(null, CodeSet.ASCII, null)),
          Map.entry("ISO 2022 IR 100", new Term(null, CodeSet.ASCII, CodeSet.LATIN1)),
          Map.entry("ISO 2022 IR 101", new Term(null, CodeSet.ASCII, CodeSet.LATIN2)),
          Map.entry("ISO 2022 IR 109", new Term(null, CodeSet.ASCII, CodeSet.LATIN3)),
          Map.entry("ISO 2022 IR 110", new Term(null, CodeSet.ASCII, CodeSet.LATIN4)),
          Map.entry("ISO 2022 IR 144", new Term(null, CodeSet.ASCII, CodeSet.CYRILLIC)),
          Map.entry("ISO 2022 IR 127", new Term(null, CodeSet.ASCII, CodeSet.ARABIC)),
          Map.entry("ISO 2022 IR 126", new Term(null, CodeSet.ASCII, CodeSet.GREEK)),
          Map.entry("ISO 2022 IR 138", new Term(null, CodeSet.ASCII, CodeSet.HEBREW)),
          Map.entry("ISO 2022 IR 148", new Term(null, CodeSet.ASCII, CodeSet.LATIN5)),
          Map.entry("ISO 2022 IR 166", new Term(null, CodeSet.ASCII, CodeSet.THAI)),
          Map.entry("ISO 2022 IR 13", new Term(null, CodeSet.JIS_ROMAN, CodeSet.JIS_KATAKANA)),
          Map.entry("ISO 2022 IR 87", new Term(null, CodeSet.JIS_X0208, null)),
          Map.entry("ISO 2022 IR 159", new Term(null, CodeSet.JIS_X0212, null)),
          Map.entry("ISO 2022 IR 149", new Term(null, CodeSet.ASCII, CodeSet.KS_X1001)),
          Map.entry("ISO 2022 IR 58", new Term(null, CodeSet.ASCII, CodeSet.GB2312)));

  /** The default repertoire (no Specific Character Set); declared after TERMS, which it reads. */
  public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[0]);

  private final String[] terms;
  private final Charset plain;
  private final CodeSet initialG0;
  private final CodeSet initialG1;

  private SpecificCharacterSet(String[] terms) {
    this.terms = terms;
    Term first = TERMS.get(terms.length == 0 ? "" : terms[0]);
    boolean extensions = terms.length > 1 || (terms.length == 1 && terms[0].startsWith("ISO 2022"));
    if (first == null) {
      // An unknown term: the default repertoire, read leniently as ISO 8859-1.
      this.plain = StandardCharsets.ISO_8859_1;
      this.initialG0 = null;
      this.initialG1 = null;
    } else if (first.plain() != null && (!extensions || first.g0() == null)) {
      this.plain = first.plain();
      this.initialG0 = null;
      this.initialG1 = null;
    } else {
      this.plain = null;
      this.initialG0 = first.g0();
      this.initialG1 = first.g1();
    }
  }

  private static Charset charset(String name) {
    return Charset.forName(name);
  }

  /**
   * The character set for the values of (0008,0005); blank values count as the default repertoire.
   */
  public static SpecificCharacterSet valueOf(String... terms) {
    if (terms == null || terms.length == 0) {
      return DEFAULT;
    }
    String[] normalized = new String[terms.length];
    for (int i = 0; i < terms.length; i++) {
      normalized[i] = terms[i] == null ? "" : terms[i].strip().toUpperCase(Locale.ROOT);
    }
    if (normalized.length == 1 && normalized[0].isEmpty()) {
      return DEFAULT;
    }
    return CACHE.computeIfAbsent(
        String.join("\\", normalized), k -> new SpecificCharacterSet(normalized));
  }

  /** The defined terms as given, normalized (trimmed, upper case). */
  public List<String> terms() {
    return List.of(terms);
  }

  /** True if values may contain ISO 2022 escape sequences. */
  public boolean usesCodeExtensions() {
    return plain == null;
  }

  /** True if every term is one this class knows (unknown terms are read as ISO 8859-1). */
  public boolean isKnown() {
    return Arrays.stream(terms).allMatch(TERMS::containsKey);
  }

  /** Decodes a whole value (all its backslash-separated values at once). */
  public String decode(byte[] bytes, int offset, int length) {
    if (plain != null) {
      return decodeWith(plain, bytes, offset, length);
    }
    return decodeIso2022(bytes, offset, length);
  }

  public String decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  private static String decodeWith(Charset cs, byte[] bytes, int offset, int length) {
    CharsetDecoder decoder =
        cs.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE decoder threw", e); // cannot happen with REPLACE
    }
  }

  private String decodeIso2022(byte[] bytes, int offset, int length) {
    StringBuilder out = new StringBuilder(length);
    CodeSet g0 = initialG0;
    CodeSet g1 = initialG1;
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int b = bytes[i] & 0xFF;
      if (b == ESC) {
        CodeSet designated = escapeAt(bytes, i + 1, end);
        if (designated == null) {
          out.append('\u001b');
          i++;
        } else {
          if (designated.area == 0) {
            g0 = designated;
          } else {
            g1 = designated;
          }
          i += 1 + designated.escape.length;
        }
        continue;
      }
      if (b < 0x21 || b == 0x7F || b == '\\') {
        // Control characters and the value delimiter: PS3.5 6.1.2.5.3 makes the encoder return to
        // the initial sets before them, so the decoder may do the same.
        out.append((char) b);
        if (b != ' ') {
          g0 = initialG0;
          g1 = initialG1;
        }
        i++;
        continue;
      }
      CodeSet set = b < 0x80 ? g0 : g1;
      if (set == null) {
        out.append(b < 0x80 ? (char) b : decodeWith(StandardCharsets.ISO_8859_1, bytes, i, 1));
        i++;
        continue;
      }
      int n = Math.min(set.bytes == 3 ? 2 : set.bytes, end - i);
      out.append(decodeCodeSet(set, bytes, i, n));
      i += n;
    }
    return out.toString();
  }

  private static CodeSet escapeAt(byte[] bytes, int from, int end) {
    for (CodeSet set : CodeSet.values()) {
      byte[] esc = set.escape;
      if (from + esc.length <= end
          && Arrays.equals(bytes, from, from + esc.length, esc, 0, esc.length)) {
        return set;
      }
    }
    return null;
  }

  /** Decodes one character of {@code set} stored in {@code n} bytes at {@code i}. */
  private static String decodeCodeSet(CodeSet set, byte[] bytes, int i, int n) {
    byte[] buf;
    switch (set) {
      case ASCII, JIS_ROMAN -> {
        return String.valueOf((char) (bytes[i] & 0x7F));
      }
      case JIS_X0208 -> buf = highBits(null, bytes, i, n);
      case JIS_X0212 -> buf = highBits((byte) 0x8F, bytes, i, n);
      case KS_X1001, GB2312 -> buf = highBits(null, bytes, i, n);
      default -> buf = new byte[] {(byte) (bytes[i] | 0x80)};
    }
    Charset cs = charset(set.charset);
    String s = decodeWith(cs, buf, 0, buf.length);
    return s.isEmpty() ? "\uFFFD" : s;
  }

  /** EUC form of a 94x94 set: the GL bytes with the high bit set, after an optional prefix. */
  private static byte[] highBits(Byte prefix, byte[] bytes, int i, int n) {
    int p = prefix == null ? 0 : 1;
    byte[] buf = new byte[p + n];
    if (prefix != null) {
      buf[0] = prefix;
    }
    for (int k = 0; k < n; k++) {
      buf[p + k] = (byte) (bytes[i + k] | 0x80);
    }
    return buf;
  }

  @Override
  public String toString() {
    return String.join("\\", terms);
  }
}
