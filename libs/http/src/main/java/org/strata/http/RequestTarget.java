package org.strata.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a request target (path and query, exactly as received on the request line) before any
 * service decodes it: every path segment, query parameter name and value must percent-decode to
 * well-formed UTF-8 (no overlong forms, no encoded surrogates), hold no NUL (PostgreSQL text
 * cannot) and stay within the limits below. The HTTP stacks decode invalid UTF-8 silently into
 * U+FFFD and pass NUL on, so the check reads the raw target, not the decoded parameters.
 *
 * <p>Reasons never repeat the value: query values can be PHI.
 */
public final class RequestTarget {
  /** Longest request target accepted (the HTTP server's own request-line limit is 4096 too). */
  public static final int MAX_TARGET_BYTES = 4096;

  /**
   * Longest path segment, parameter name or value, in characters after decoding. DICOM values are
   * at most 64 characters per value (LO, UI) or component group (PN); this leaves room for lists.
   */
  public static final int MAX_VALUE_CHARS = 1024;

  /** Most query parameters per request. */
  public static final int MAX_PARAMETERS = 100;

  /** Why a request target is refused: 400 or 414, and a reason without the offending value. */
  public record Refusal(int status, String reason) {}

  private RequestTarget() {}

  /**
   * @param raw the request target as received, e.g. {@code /dicomweb/studies?PatientID=%00}
   * @return null when every part is acceptable, else why not
   */
  public static Refusal check(String raw) {
    if (raw.length() > MAX_TARGET_BYTES) {
      return new Refusal(414, "the request target is longer than " + MAX_TARGET_BYTES + " bytes");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return bad("characters other than printable ASCII must be percent-encoded (RFC 3986)");
      }
    }
    int q = raw.indexOf('?');
    String path = q < 0 ? raw : raw.substring(0, q);
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String problem = problem(segments[i], false);
      if (problem != null) {
        return bad("path segment " + i + ": " + problem);
      }
    }
    if (q < 0) {
      return null;
    }
    String[] params = raw.substring(q + 1).split("&", -1);
    if (params.length > MAX_PARAMETERS) {
      return bad("more than " + MAX_PARAMETERS + " query parameters");
    }
    for (int i = 0; i < params.length; i++) {
      int eq = params[i].indexOf('=');
      String name = eq < 0 ? params[i] : params[i].substring(0, eq);
      String problem = problem(name, true);
      if (problem != null) {
        return bad("query parameter " + (i + 1) + " (its name): " + problem);
      }
      if (eq >= 0 && (problem = problem(params[i].substring(eq + 1), true)) != null) {
        return bad("query parameter " + (i + 1) + " (" + printable(name) + "): " + problem);
      }
    }
    return null;
  }

  private static Refusal bad(String reason) {
    return new Refusal(400, reason);
  }

  /** Why one encoded part is unacceptable, or null. */
  private static String problem(String encoded, boolean query) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
        if (lo < 0) {
          return "malformed percent-encoding";
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(query && c == '+' ? ' ' : c);
      }
    }
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      return "not well-formed UTF-8 (invalid, overlong or surrogate byte sequence)";
    }
    if (decoded.indexOf('\0') >= 0) {
      return "contains a NUL character";
    }
    if (decoded.length() > MAX_VALUE_CHARS) {
      return "longer than " + MAX_VALUE_CHARS + " characters";
    }
    return null;
  }

  /** A parameter name fit for a reason: letters, digits and a few marks, at most 64. */
  private static String printable(String name) {
    String n = name.length() > 64 ? name.substring(0, 64) : name;
    return n.replaceAll("[^A-Za-z0-9._-]", "?");
  }
}
