package org.strata.query.qido;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.strata.dicom.dict.ElementDictionary;

/**
 * A parsed and validated QIDO-RS search (PS3.18 10.6): the level, the UIDs of the path, the
 * matching keys, {@code includefield}, {@code fuzzymatching}, {@code limit} and {@code offset}.
 * Anything malformed is a {@link QidoException} (400).
 *
 * <p>{@code limit} and {@code offset} are unsigned integers of any size (PS3.18 8.3.4.4): a {@code
 * limit} above the server's maximum is lowered to it (the response then says with {@code Warning:
 * 299} that more matches follow), and an {@code offset} past the last match gives no results (204),
 * never an error.
 *
 * @param studyUid the study of the path ({@code /studies/{study}/...}), or null
 * @param seriesUid the series of the path, or null
 * @param matches matching keys in request order (values not yet parsed: {@link Matching} does)
 * @param includeFields tags of {@code includefield}
 * @param includeAll {@code includefield=all}
 */
public record QidoRequest(
    Level level,
    String studyUid,
    String seriesUid,
    Map<QidoAttribute, String> matches,
    Set<Integer> includeFields,
    boolean includeAll,
    boolean fuzzy,
    int limit,
    long offset) {

  private static final Pattern HEX_TAG = Pattern.compile("[0-9A-Fa-f]{8}");
  private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  /**
   * @param params the query parameters, decoded, each with all its values
   * @param defaultLimit results when {@code limit} is absent
   * @param maxLimit the most results per response: a larger {@code limit} is lowered to it
   */
  public static QidoRequest parse(
      Level level,
      String studyUid,
      String seriesUid,
      Map<String, List<String>> params,
      int defaultLimit,
      int maxLimit) {
    if (studyUid != null) {
      requireUid(studyUid, "the study in the path");
    }
    if (seriesUid != null) {
      requireUid(seriesUid, "the series in the path");
    }
    Map<QidoAttribute, String> matches = new LinkedHashMap<>();
    Set<Integer> include = new LinkedHashSet<>();
    boolean all = false;
    boolean fuzzy = false;
    int limit = defaultLimit;
    long offset = 0;
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      String key = p.getKey();
      List<String> values = p.getValue();
      switch (key) {
        case "includefield" -> {
          for (String value : values) {
            for (String field : value.split(",", -1)) {
              String f = field.trim();
              if (f.equals("all")) {
                all = true;
              } else {
                include.add(tagOf(f, "includefield"));
              }
            }
          }
        }
        case "fuzzymatching" -> {
          String v = single(key, values);
          if (!v.equals("true") && !v.equals("false")) {
            throw new QidoException("fuzzymatching must be true or false");
          }
          fuzzy = v.equals("true");
        }
        case "limit" -> limit = (int) Math.min(unsigned(key, single(key, values)), maxLimit);
        case "offset" -> offset = unsigned(key, single(key, values));
        default -> {
          int tag = tagOf(key, "matching key");
          QidoAttribute attribute = QidoAttribute.of(tag);
          if (attribute == null || !attribute.matchable()) {
            throw new QidoException(key + " is not a supported matching key");
          }
          if (attribute.level().ordinal() > level.ordinal()) {
            throw new QidoException(
                key
                    + " cannot be matched at the "
                    + level.name().toLowerCase(Locale.ROOT)
                    + " level");
          }
          if (matches.containsKey(attribute)) {
            throw new QidoException(key + " is given more than once");
          }
          matches.put(attribute, single(key, values));
        }
      }
    }
    return new QidoRequest(
        level, studyUid, seriesUid, matches, Set.copyOf(include), all, fuzzy, limit, offset);
  }

  /** A keyword of the dictionary ("PatientID") or 8 hex digits ("00100020"). */
  static int tagOf(String key, String what) {
    if (HEX_TAG.matcher(key).matches()) {
      return (int) Long.parseLong(key, 16);
    }
    int tag = key.isEmpty() ? -1 : ElementDictionary.standard().tagOf(key);
    if (tag == -1) {
      throw new QidoException("unknown attribute in " + what + ": " + printable(key));
    }
    return tag;
  }

  private static String printable(String key) {
    String k = key.length() > 64 ? key.substring(0, 64) + "..." : key;
    return k.replaceAll("[^A-Za-z0-9.,_-]", "?");
  }

  private static String single(String key, List<String> values) {
    if (values.size() != 1) {
      throw new QidoException(printable(key) + " is given more than once");
    }
    return values.get(0);
  }

  /** A uint of PS3.18 8.3.4.4, saturated at {@link Long#MAX_VALUE} (no index is that large). */
  private static long unsigned(String key, String value) {
    if (!DIGITS.matcher(value).matches()) {
      throw new QidoException(key + " must be a non-negative integer");
    }
    String digits = value.replaceFirst("^0+(?=.)", "");
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  /** A UID of PS3.5 9.1: digits and dots, no leading zeros, at most 64 characters. */
  static boolean isValidUid(String uid) {
    return uid.length() <= 64 && UID.matcher(uid).matches();
  }

  static void requireUid(String uid, String what) {
    if (!isValidUid(uid)) {
      throw new QidoException("invalid UID in " + what);
    }
  }
}
