package org.strata.audit.fhir;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FHIR date search value ({@code [prefix]YYYY[-MM[-DD[Thh:mm[:ss][zone]]]]}, prefixes eq, gt, lt,
 * ge, le) as the instant range its precision spans; a value without a zone is UTC, the zone audit
 * records are kept in.
 */
record DateRange(String prefix, Instant lo, Instant hi) {
  private static final Pattern VALUE =
      Pattern.compile(
          "(eq|gt|lt|ge|le)?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
              + "(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?");

  static DateRange parse(String name, String value) {
    Matcher m = VALUE.matcher(value);
    if (!m.matches()) {
      throw new InvalidSearchException(
          name + ": expected [eq|gt|lt|ge|le]YYYY[-MM[-DD[Thh:mm[:ss][zone]]]]");
    }
    String prefix = m.group(1) == null ? "eq" : m.group(1);
    try {
      int year = Integer.parseInt(m.group(2));
      LocalDateTime lo;
      LocalDateTime hi;
      if (m.group(3) == null) {
        lo = LocalDate.of(year, 1, 1).atStartOfDay();
        hi = lo.plusYears(1);
      } else if (m.group(4) == null) {
        lo = LocalDate.of(year, Integer.parseInt(m.group(3)), 1).atStartOfDay();
        hi = lo.plusMonths(1);
      } else {
        LocalDate day =
            LocalDate.of(year, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        if (m.group(5) == null) {
          lo = day.atStartOfDay();
          hi = lo.plusDays(1);
        } else {
          boolean seconds = m.group(7) != null;
          lo =
              day.atTime(
                  Integer.parseInt(m.group(5)),
                  Integer.parseInt(m.group(6)),
                  seconds ? Integer.parseInt(m.group(7)) : 0);
          hi = seconds ? lo.plusSeconds(1) : lo.plusMinutes(1);
        }
      }
      ZoneOffset zone =
          m.group(8) == null || m.group(8).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
      return new DateRange(prefix, lo.toInstant(zone), hi.toInstant(zone));
    } catch (java.time.DateTimeException e) {
      throw new InvalidSearchException(name + ": not a valid date or time");
    }
  }
}
