package org.strata.testkit.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile values for URL query parameters and path segments as they go on the request line (each
 * char one byte), mostly percent-encoded, a few raw: what PostgreSQL cannot hold (NUL, invalid or
 * overlong UTF-8), what a parser may choke on (huge, negative, empty), what escapes a path or a
 * header (CRLF, {@code ../}), what a query language may misread (wildcards, SQL).
 */
public final class HostileValues {
  private HostileValues() {}

  /** The fixed list, each sent to every parameter. */
  public static List<String> fixed() {
    List<String> v = new ArrayList<>();
    v.add("%00"); // NUL
    v.add("a%00b");
    v.add("%C3%28"); // invalid UTF-8 (bad continuation)
    v.add("%FF");
    v.add("%FE%FF");
    v.add("%C0%AF"); // overlong "/"
    v.add("%C0%80"); // overlong NUL
    v.add("\u00ff"); // raw bytes on the request line, not percent-encoded: 0xFF
    v.add("a\u0080b\u0001");
    v.add("%ED%A0%80"); // a UTF-16 surrogate in UTF-8
    v.add("%F4%90%80%80"); // above U+10FFFF
    v.add(""); // empty
    v.add("%20");
    v.add("-1");
    v.add("-2147483649");
    v.add("2147483648");
    v.add("9223372036854775808");
    v.add("99999999999999999999999999999999999999");
    v.add("1e309");
    v.add("NaN");
    v.add("0x10");
    v.add("%0D%0AX-Injected:%201"); // CRLF
    v.add("..%2F..%2F..%2Fetc%2Fpasswd");
    v.add("..");
    v.add("%2E%2E");
    v.add("*");
    v.add("%25");
    v.add("?");
    v.add("%5C");
    v.add("*.*.*.*");
    v.add("1.2.*");
    v.add("%27%20OR%20%271%27%3D%271"); // ' OR '1'='1
    v.add("1%3B%20DROP%20TABLE%20study%3B--");
    v.add("%5C%5C%5C%5C");
    v.add("%E2%80%AE%F0%9F%98%80%E6%BC%A2%D8%B9"); // RTL override, emoji, CJK, Arabic
    v.add("%EF%BB%BF"); // BOM
    v.add("19000101-20991231");
    v.add("-");
    v.add("20251301");
    v.add("TRUE");
    v.add("%7B%22a%22%3A1%7D");
    v.add("%3Cscript%3E");
    v.add("x".repeat(70));
    v.add("1." + "2".repeat(200));
    v.add("A".repeat(2 * 1024)); // long, within the usual request-line limits (4 to 8 KiB)
    v.add("A".repeat(64 * 1024)); // far above them
    return v;
  }

  /** A random value: random bytes percent-encoded, or random digits and dots, of random length. */
  public static String random(SplittableRandom random) {
    int length = random.nextInt(4) == 0 ? random.nextInt(4096) : random.nextInt(40);
    StringBuilder s = new StringBuilder();
    boolean uidLike = random.nextBoolean();
    for (int i = 0; i < length; i++) {
      if (uidLike) {
        s.append(random.nextInt(8) == 0 ? "." : String.valueOf(random.nextInt(10)));
      } else {
        s.append(String.format("%%%02X", random.nextInt(256)));
      }
    }
    return s.toString();
  }
}
