package org.strata.query.wado;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The media ranges of an {@code Accept} header, with their parameters ({@code type}, {@code
 * transfer-syntax}, {@code q}), as WADO-RS needs them (PS3.18 8.7). Quoted parameter values are
 * unquoted; type names and parameter names are compared case-insensitively. Ranges with {@code q=0}
 * are left out. No header: {@code *}{@code /*}.
 */
public record AcceptedTypes(List<Range> ranges) {

  /** One media range: {@code type/subtype} (lower case) and its parameters (names lower case). */
  public record Range(String mediaType, Map<String, String> params) {
    public String param(String name) {
      return params.get(name);
    }

    public boolean isWildcard() {
      return mediaType.equals("*/*");
    }
  }

  public static AcceptedTypes parse(List<String> headers) {
    List<Range> ranges = new ArrayList<>();
    if (headers != null) {
      for (String header : headers) {
        for (String part : split(header, ',')) {
          Range r = range(part);
          if (r != null) {
            ranges.add(r);
          }
        }
      }
    }
    if (ranges.isEmpty()) {
      ranges.add(new Range("*/*", Map.of()));
    }
    return new AcceptedTypes(List.copyOf(ranges));
  }

  private static Range range(String text) {
    List<String> pieces = split(text, ';');
    if (pieces.isEmpty() || pieces.get(0).isBlank()) {
      return null;
    }
    String type = pieces.get(0).strip().toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < pieces.size(); i++) {
      String p = pieces.get(i);
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      params.put(name, value);
    }
    String q = params.get("q");
    if (q != null) {
      try {
        if (Double.parseDouble(q) <= 0) {
          return null;
        }
      } catch (NumberFormatException e) {
        // an unreadable weight is ignored, the range kept
      }
    }
    return new Range(type, params);
  }

  /** Splits at {@code sep} outside double quotes. */
  private static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == sep && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
