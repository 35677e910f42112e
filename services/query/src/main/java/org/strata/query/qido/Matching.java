package org.strata.query.qido;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.strata.dicom.DicomDates;
import org.strata.indexschema.PersonNames;

/**
 * Turns one matching key into a SQL condition (PS3.4 C.2.2.2 as profiled by PS3.18 10.6.1.2):
 * universal, single value, UID list, wildcard ({@code *}, {@code ?}), range, and for person names
 * case- and accent-insensitive and fuzzy matching. Values go into bind parameters only.
 */
final class Matching {
  private static final Pattern LIST_SEPARATOR = Pattern.compile("[,\\\\]");
  private static final Pattern DA = Pattern.compile("([0-9]{4})([0-9]{2})([0-9]{2})");
  private static final Pattern TM =
      Pattern.compile("([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:\\.([0-9]{1,6}))?)?)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,9}");

  private Matching() {}

  /** Appends the condition for {@code value} on {@code a} to {@code sql}; nothing if universal. */
  static void append(Sql sql, QidoAttribute a, String value, boolean fuzzy) {
    if (value.isEmpty()) {
      return; // universal matching: a return key
    }
    switch (a.kind()) {
      case UID -> uids(sql, a, value);
      case TEXT -> text(sql, a, value);
      case PERSON_NAME -> personName(sql, a, value, fuzzy);
      case DATE -> dateRange(sql, a, value);
      case TIME -> timeRange(sql, a, value);
      case INTEGER -> integer(sql, a, value);
      case CODE -> code(sql, a, value);
      case CODE_ARRAY -> codeArray(sql, a, value);
      case RETURN_ONLY -> throw new QidoException(a.keyword() + " is not a matching key");
    }
  }

  private static void uids(Sql sql, QidoAttribute a, String value) {
    String[] uids = list(a, value);
    for (String uid : uids) {
      if (!QidoRequest.isValidUid(uid)) {
        throw new QidoException("invalid UID in " + a.keyword());
      }
    }
    if (uids.length == 1) {
      sql.and(a.match() + " = ?", uids[0]);
    } else {
      sql.and(a.match() + " = any(?)", (Object) uids);
    }
  }

  private static void text(Sql sql, QidoAttribute a, String value) {
    if (hasWildcard(value)) {
      if (!isAllStars(value)) {
        sql.and(a.match() + " like ?", like(value));
      }
    } else {
      sql.and(a.match() + " = ?", value);
    }
  }

  private static void code(Sql sql, QidoAttribute a, String value) {
    String[] codes = list(a, value);
    if (codes.length == 1 && hasWildcard(codes[0])) {
      if (!isAllStars(codes[0])) {
        sql.and(a.match() + " like ?", like(codes[0]));
      }
    } else if (codes.length == 1) {
      sql.and(a.match() + " = ?", codes[0]);
    } else {
      noWildcards(a, codes);
      sql.and(a.match() + " = any(?)", (Object) codes);
    }
  }

  /** ModalitiesInStudy: studies with any of the codes; {@code &&} uses the GIN index. */
  private static void codeArray(Sql sql, QidoAttribute a, String value) {
    String[] codes = list(a, value);
    if (codes.length == 1 && hasWildcard(codes[0])) {
      if (!isAllStars(codes[0])) {
        sql.and(
            "exists (select 1 from unnest(" + a.match() + ") m(code) where m.code like ?)",
            like(codes[0]));
      }
    } else {
      noWildcards(a, codes);
      sql.and(a.match() + " && ?", (Object) codes);
    }
  }

  /**
   * Person names match on the normalised form (case, accents and component separators ignored). The
   * query, with its wildcards, must match a run of whole words of the name: {@code Doe}, {@code
   * Doe^Jane}, {@code Jane}, {@code Do*} and {@code 山田^太郎} all match {@code Doe^Jane} or {@code
   * Yamada^Tarou=山田^太郎} as the case may be (PS3.4 C.2.2.2.1 lets PN matching ignore case, position
   * and accents). The first, looser {@code like '%...%'} is what the {@code pg_trgm} index serves;
   * the second checks word boundaries on the rows it finds. With {@code fuzzymatching=true} names
   * whose trigram similarity to the query reaches {@code pg_trgm.similarity_threshold} (0.3 by
   * default) match too ({@code %} operator, same index).
   */
  private static void personName(Sql sql, QidoAttribute a, String value, boolean fuzzy) {
    if (isAllStars(value)) {
      return;
    }
    String normalized = PersonNames.normalize(value);
    if (normalized == null) {
      return; // only separators: "^" or "=" is universal matching
    }
    String pattern = hasWildcard(normalized) ? like(normalized) : escapeLike(normalized);
    String column = a.match();
    String exact = "(" + column + " like ? and (' ' || " + column + " || ' ') like ?)";
    if (fuzzy) {
      sql.and(
          "(" + exact + " or " + column + " % ?)",
          "%" + pattern + "%",
          "% " + pattern + " %",
          normalized.replace('*', ' ').replace('?', ' ').trim());
    } else {
      sql.and(exact, "%" + pattern + "%", "% " + pattern + " %");
    }
  }

  private static void integer(Sql sql, QidoAttribute a, String value) {
    if (!INTEGER.matcher(value.trim()).matches()) {
      throw new QidoException(a.keyword() + " must be an integer");
    }
    sql.and(a.match() + " = ?", Integer.valueOf(value.trim().replaceFirst("^\\+", "")));
  }

  /** DA: {@code d}, {@code a-b}, {@code a-}, {@code -b}; bounds inclusive. */
  private static void dateRange(Sql sql, QidoAttribute a, String value) {
    int dash = rangeDash(a, value);
    if (dash < 0) {
      sql.and(a.match() + " = ?", date(a, value));
      return;
    }
    String from = value.substring(0, dash);
    String to = value.substring(dash + 1);
    if (!from.isEmpty()) {
      sql.and(a.match() + " >= ?", date(a, from));
    }
    if (!to.isEmpty()) {
      sql.and(a.match() + " <= ?", date(a, to));
    }
  }

  /**
   * TM: {@code t}, {@code a-b}, {@code a-}, {@code -b}. A time matches to the precision given:
   * {@code 10} is 10:00:00 to 10:59:59.999999, {@code 1015} is 10:15:00 to 10:15:59.999999; a
   * range's end includes the whole of its last unit.
   */
  private static void timeRange(Sql sql, QidoAttribute a, String value) {
    int dash = rangeDash(a, value);
    String from = dash < 0 ? value : value.substring(0, dash);
    String to = dash < 0 ? value : value.substring(dash + 1);
    if (!from.isEmpty()) {
      sql.and(a.match() + " >= ?", time(a, from, false));
    }
    if (!to.isEmpty()) {
      sql.and(a.match() + " <= ?", time(a, to, true));
    }
  }

  /** Index of the range's '-', -1 for a single value; "-" alone is malformed. */
  private static int rangeDash(QidoAttribute a, String value) {
    int dash = value.indexOf('-');
    if (dash >= 0 && (value.length() == 1 || value.indexOf('-', dash + 1) >= 0)) {
      throw new QidoException("malformed range in " + a.keyword());
    }
    return dash;
  }

  private static LocalDate date(QidoAttribute a, String da) {
    Matcher m = DA.matcher(da);
    if (!m.matches()) {
      throw new QidoException("malformed date in " + a.keyword() + " (expected YYYYMMDD)");
    }
    LocalDate date = DicomDates.parseDate(da);
    if (date == null) {
      throw new QidoException("invalid date in " + a.keyword());
    }
    return date;
  }

  private static LocalTime time(QidoAttribute a, String tm, boolean endOfUnit) {
    Matcher m = TM.matcher(tm);
    if (!m.matches()) {
      throw new QidoException("malformed time in " + a.keyword() + " (expected HHMMSS.FFFFFF)");
    }
    LocalTime t = DicomDates.parseTime(tm);
    if (t == null) {
      throw new QidoException("invalid time in " + a.keyword());
    }
    if (!endOfUnit) {
      return t;
    }
    // End of the last unit given, to the microsecond PostgreSQL's time keeps.
    String fraction = m.group(4);
    if (m.group(2) == null) {
      return t.withMinute(59).withSecond(59).withNano(999_999_000);
    } else if (m.group(3) == null) {
      return t.withSecond(59).withNano(999_999_000);
    } else if (fraction == null) {
      return t.withNano(999_999_000);
    }
    long unit = (long) Math.pow(10, 9 - fraction.length());
    return t.plusNanos(unit - 1000 >= 0 ? unit - 1000 : 0);
  }

  private static String[] list(QidoAttribute a, String value) {
    String[] parts = LIST_SEPARATOR.split(value, -1);
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new QidoException("empty value in the list of " + a.keyword());
      }
    }
    return parts;
  }

  private static void noWildcards(QidoAttribute a, String[] values) {
    if (Arrays.stream(values).anyMatch(Matching::hasWildcard)) {
      throw new QidoException("wildcards are not allowed in a list of " + a.keyword());
    }
  }

  private static boolean hasWildcard(String value) {
    return value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
  }

  private static boolean isAllStars(String value) {
    return !value.isEmpty() && value.chars().allMatch(c -> c == '*');
  }

  /** A DICOM wildcard pattern as a LIKE pattern (escape character: backslash). */
  static String like(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '*' -> b.append('%');
        case '?' -> b.append('_');
        case '%', '_', '\\' -> b.append('\\').append(c);
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A literal for LIKE: {@code %}, {@code _} and the escape character escaped. */
  static String escapeLike(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
