package org.strata.dicom;

import java.util.Arrays;

/**
 * A PN value split as PS3.5 6.2.1 says: up to three component groups separated by '=' (alphabetic,
 * ideographic, phonetic), each of up to five components separated by '^' (family name, given name,
 * middle name, prefix, suffix). Missing parts are empty strings, never null.
 */
public record PersonName(String[] alphabetic, String[] ideographic, String[] phonetic) {

  private static final int COMPONENTS = 5;

  /** Splits one PN value (a single value, no backslash). */
  public static PersonName parse(String value) {
    String[] groups = (value == null ? "" : value).split("=", -1);
    return new PersonName(components(groups, 0), components(groups, 1), components(groups, 2));
  }

  private static String[] components(String[] groups, int index) {
    String[] result = new String[COMPONENTS];
    Arrays.fill(result, "");
    if (index < groups.length) {
      String[] parts = groups[index].split("\\^", -1);
      for (int i = 0; i < Math.min(parts.length, COMPONENTS); i++) {
        result[i] = parts[i].strip();
      }
    }
    return result;
  }

  public String familyName() {
    return alphabetic[0];
  }

  public String givenName() {
    return alphabetic[1];
  }

  public String middleName() {
    return alphabetic[2];
  }

  public String prefix() {
    return alphabetic[3];
  }

  public String suffix() {
    return alphabetic[4];
  }

  /** The ideographic group joined back with '^' without trailing empty components. */
  public String ideographicText() {
    return join(ideographic);
  }

  /** The phonetic group joined back with '^' without trailing empty components. */
  public String phoneticText() {
    return join(phonetic);
  }

  /** The alphabetic group joined back with '^' without trailing empty components. */
  public String alphabeticText() {
    return join(alphabetic);
  }

  private static String join(String[] parts) {
    int n = parts.length;
    while (n > 0 && parts[n - 1].isEmpty()) {
      n--;
    }
    return String.join("^", Arrays.copyOf(parts, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PersonName p
        && Arrays.equals(alphabetic, p.alphabetic)
        && Arrays.equals(ideographic, p.ideographic)
        && Arrays.equals(phonetic, p.phonetic);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(alphabetic) * 31 * 31
        + Arrays.hashCode(ideographic) * 31
        + Arrays.hashCode(phonetic);
  }

  @Override
  public String toString() {
    String s = alphabeticText() + "=" + ideographicText() + "=" + phoneticText();
    return s.replaceAll("=+$", "");
  }
}
