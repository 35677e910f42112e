package org.strata.dicom;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Parses DA, TM and DT values (PS3.5 6.2). Returns null for anything that is not a valid date or
 * time rather than throwing: bad dates are common in real files and must not stop a parse.
 */
public final class DicomDates {

  private DicomDates() {}

  /** "YYYYMMDD", or the ACR-NEMA form "YYYY.MM.DD". */
  public static LocalDate parseDate(String s) {
    if (s == null) {
      return null;
    }
    String v = s.strip();
    if (v.length() == 10 && v.charAt(4) == '.' && v.charAt(7) == '.') {
      v = v.substring(0, 4) + v.substring(5, 7) + v.substring(8);
    }
    if (v.length() != 8 || !digits(v, 0, 8)) {
      return null;
    }
    try {
      return LocalDate.of(num(v, 0, 4), num(v, 4, 6), num(v, 6, 8));
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /**
   * "HH[MM[SS[.F{1,6}]]]", or the ACR-NEMA form "HH:MM:SS.F"; 24 is not an hour, 60 (leap second)
   * is read as 59.
   */
  public static LocalTime parseTime(String s) {
    if (s == null) {
      return null;
    }
    String v = s.strip();
    if (v.length() >= 5 && v.charAt(2) == ':') {
      v = v.replace(":", "");
    }
    int dot = v.indexOf('.');
    String hms = dot < 0 ? v : v.substring(0, dot);
    String frac = dot < 0 ? "" : v.substring(dot + 1);
    if ((hms.length() != 2 && hms.length() != 4 && hms.length() != 6)
        || !digits(hms, 0, hms.length())
        || frac.length() > 6
        || !digits(frac, 0, frac.length())
        || (!frac.isEmpty() && hms.length() != 6)) {
      return null;
    }
    int hour = num(hms, 0, 2);
    int minute = hms.length() >= 4 ? num(hms, 2, 4) : 0;
    int second = hms.length() == 6 ? Math.min(num(hms, 4, 6), 59) : 0;
    int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000").substring(0, 6)) * 1000;
    if (hour > 23 || minute > 59) {
      return null;
    }
    return LocalTime.of(hour, minute, second, nanos);
  }

  /** "YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]": the local date-time, the UTC offset suffix ignored. */
  public static LocalDateTime parseDateTime(String s) {
    if (s == null) {
      return null;
    }
    String v = s.strip();
    int zone = Math.max(v.indexOf('+'), v.indexOf('-'));
    if (zone >= 0) {
      v = v.substring(0, zone);
    }
    int dot = v.indexOf('.');
    String whole = dot < 0 ? v : v.substring(0, dot);
    if (whole.length() < 4 || whole.length() > 14 || whole.length() % 2 != 0) {
      return null;
    }
    String datePart = (whole + "0101").substring(0, 8);
    if (whole.length() == 6) {
      datePart = whole + "01";
    } else if (whole.length() >= 8) {
      datePart = whole.substring(0, 8);
    }
    LocalDate date = parseDate(datePart);
    if (date == null) {
      return null;
    }
    if (whole.length() <= 8) {
      return date.atStartOfDay();
    }
    LocalTime time = parseTime(whole.substring(8) + (dot < 0 ? "" : v.substring(dot)));
    return time == null ? null : date.atTime(time);
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int num(String s, int from, int to) {
    return Integer.parseInt(s, from, to, 10);
  }
}
