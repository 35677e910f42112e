package org.strata.query.qido;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The matching form of person names: upper case, accents removed, DICOM's component ({@code ^}) and
 * group ({@code =}) separators turned into single spaces.
 *
 * <p>COPY of {@code services/index/src/main/java/org/strata/index/service/PersonNames.java}: the
 * index writes {@code patient_name_norm} and {@code referring_physician_norm} with it, and query
 * values must be normalised exactly the same way to compare. Services never depend on each other,
 * so the few lines are copied; change both together ({@code PersonNamesTest} pins the behaviour
 * with the index's own examples).
 */
public final class PersonNames {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern SEPARATORS = Pattern.compile("[\\^=\\s]+");

  private PersonNames() {}

  public static String normalize(String value) {
    if (value == null) {
      return null;
    }
    String decomposed = Normalizer.normalize(value, Normalizer.Form.NFKD);
    String stripped = MARKS.matcher(decomposed).replaceAll("");
    String spaced = SEPARATORS.matcher(stripped).replaceAll(" ").trim();
    // NFKC again so that e.g. Hangul syllables decomposed above are recomposed for comparison.
    String text = Normalizer.normalize(spaced, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
    return text.isEmpty() ? null : text;
  }
}
