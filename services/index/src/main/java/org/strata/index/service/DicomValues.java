package org.strata.index.service;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Lenient parsing of DICOM DA, TM and IS values into typed columns. A value that does not parse is
 * indexed as null: it stays in the instance's attributes and in the object, it just cannot be
 * matched by range.
 */
public final class DicomValues {
  private DicomValues() {}

  /** DA: YYYYMMDD (also the ACR-NEMA form YYYY.MM.DD). */
  public static LocalDate date(String da) {
    if (da == null) {
      return null;
    }
    String digits = da.trim().replace(".", "");
    if (digits.length() != 8 || !digits.chars().allMatch(Character::isDigit)) {
      return null;
    }
    try {
      return LocalDate.of(
          Integer.parseInt(digits.substring(0, 4)),
          Integer.parseInt(digits.substring(4, 6)),
          Integer.parseInt(digits.substring(6, 8)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** TM: HH[MM[SS[.FFFFFF]]] (also HH:MM:SS). */
  public static LocalTime time(String tm) {
    if (tm == null) {
      return null;
    }
    String t = tm.trim().replace(":", "");
    if (t.length() < 2) {
      return null;
    }
    try {
      int hour = Integer.parseInt(t.substring(0, 2));
      int minute = t.length() >= 4 ? Integer.parseInt(t.substring(2, 4)) : 0;
      int second = t.length() >= 6 ? Integer.parseInt(t.substring(4, 6)) : 0;
      int nanos = 0;
      if (t.length() > 7 && t.charAt(6) == '.') {
        String fraction = (t.substring(7) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(fraction);
      }
      // Leap second 60 is legal in DICOM TM and not in java.time.
      return LocalTime.of(hour, minute, Math.min(second, 59), nanos);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** IS: a decimal integer string, possibly padded. */
  public static Integer integer(String is) {
    if (is == null || is.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(is.trim().replaceFirst("^\\+", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
