package org.strata.query.fhir;

import java.util.ArrayList;
import java.util.List;

/**
 * FHIR search value syntax (R4 3.1.1.5.7 and 3.1.1.4.14): a value is a comma-separated list of
 * alternatives (OR), a token alternative is {@code [system]|code} or {@code code}; {@code \,}
 * {@code \|} {@code \$} and {@code \\} escape the separators.
 */
final class Tokens {
  private Tokens() {}

  /** One token: {@code system} null when the value had no {@code |} (any system). */
  record Token(String system, String code) {}

  /** The comma-separated alternatives of a value, unescaped except for {@code \|}. */
  static List<String> alternatives(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char n = value.charAt(++i);
        if (n == '|') {
          b.append('\\'); // kept escaped: token() splits on unescaped '|' only
        }
        b.append(n);
      } else if (c == ',') {
        out.add(b.toString());
        b.setLength(0);
      } else {
        b.append(c);
      }
    }
    out.add(b.toString());
    return out;
  }

  /** {@code system|code}, {@code |code} (system "") or {@code code} (system null). */
  static Token token(String alternative) {
    int bar = -1;
    for (int i = 0; i < alternative.length(); i++) {
      char c = alternative.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '|') {
        bar = i;
        break;
      }
    }
    if (bar < 0) {
      return new Token(null, unescapeBar(alternative));
    }
    return new Token(
        unescapeBar(alternative.substring(0, bar)), unescapeBar(alternative.substring(bar + 1)));
  }

  private static String unescapeBar(String s) {
    return s.replace("\\|", "|");
  }
}
