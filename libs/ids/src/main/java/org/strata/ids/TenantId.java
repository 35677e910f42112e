package org.strata.ids;

/**
 * A tenant (a hospital sharing the archive): the one rule, used in the known-AE file, in
 * configuration keys and values, in object keys, in REST paths and in Kafka events (ADR 0022).
 *
 * <p>A tenant id is 1 to 63 characters: lower-case ASCII letters, digits, dots and hyphens,
 * starting with a letter or a digit ({@code hosp-a}, {@code hosp.a}, {@code st-marys}). It is
 * case-insensitive: {@link #parse} folds ASCII upper case to lower case, so {@code Hosp.A} written
 * by an operator and {@code hosp.a} in an object key are the same tenant, and only the folded form
 * is ever stored or sent. The alphabet is that of S3 bucket names, so a tenant id is safe as an
 * object key segment (no {@code /}, never {@code .} or {@code ..} alone), a URL path segment, a
 * metric tag and an SQL value, and would still fit if a tenant were one day given its own bucket.
 * Underscores, blanks and non-ASCII letters are refused with a message that says what is allowed.
 */
public record TenantId(String value) implements Comparable<TenantId> {

  public static final int MAX_LENGTH = 63;

  /** What a tenant id may contain, for error messages and documentation. */
  public static final String RULE =
      "1 to 63 characters: letters, digits, '.' and '-', starting with a letter or digit"
          + " (case-insensitive, kept in lower case)";

  /** The canonical (already lower-case) form; see {@link #parse} for what operators write. */
  public TenantId {
    if (!isCanonical(value)) {
      throw new IllegalArgumentException(
          "not a canonical tenant id (" + RULE + "): '" + printable(value) + "'");
    }
  }

  /**
   * The tenant written in {@code value} (upper case folded); IllegalArgumentException naming the
   * rule if it breaks it. Surrounding blanks are not trimmed: a tenant id has none.
   */
  public static TenantId parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("a tenant id is required (" + RULE + ")");
    }
    String folded = foldAscii(value);
    if (!isCanonical(folded)) {
      throw new IllegalArgumentException("invalid tenant id '" + printable(value) + "': " + RULE);
    }
    return new TenantId(folded);
  }

  /** The same as {@link #parse}; the name SmallRye Config looks for to convert a config value. */
  public static TenantId of(String value) {
    return parse(value);
  }

  /**
   * The tenant of a configuration map key such as {@code strata.query.tenant-scopes.<tenant>}: a
   * key with a dot is written quoted ({@code "hosp.a"}), and the quotes may reach the map.
   */
  public static TenantId parseConfigKey(String key) {
    boolean quoted = key != null && key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"");
    return parse(quoted ? key.substring(1, key.length() - 1) : key);
  }

  /** Whether {@link #parse} accepts {@code value}. */
  public static boolean isValid(String value) {
    return value != null && isCanonical(foldAscii(value));
  }

  /**
   * ASCII upper case to lower case, nothing else: {@link String#toLowerCase} would also turn
   * non-ASCII letters such as the Kelvin sign into {@code k} and let them in.
   */
  private static String foldAscii(String value) {
    char[] chars = value.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** Whether {@code value} is a tenant id in its canonical, lower-case form. */
  public static boolean isCanonical(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code value} checked to be canonical; for code that keeps tenants as strings (event records,
   * object keys), where a non-canonical value means an edge forgot to {@link #parse}.
   */
  public static String requireCanonical(String value, String what) {
    if (!isCanonical(value)) {
      throw new IllegalArgumentException(what + " must be a canonical tenant id (" + RULE + ")");
    }
    return value;
  }

  /** A tenant id is operator configuration, not PHI, but may come from a client: keep it short. */
  private static String printable(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && i < 80; i++) {
      char c = value.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return value.length() > 80 ? b + "..." : b.toString();
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
