package org.strata.indexschema;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The matching form of person names and other text: upper case, accents removed, DICOM's component
 * ({@code ^}) and group ({@code =}) separators turned into single spaces. Applied on write and to
 * query values alike, so case- and accent-insensitive matching is a plain comparison (PS3.18
 * 10.6.1.2.1 leaves the insensitivity to the archive).
 *
 * <p>Part of the index schema's contract: the index writes {@code patient_name_norm} and {@code
 * referring_physician_norm} with it, and readers normalise their query values with the same method.
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
