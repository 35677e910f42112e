package org.strata.query.fhir;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code started} search value (FHIR R4 date search, 3.1.1.4.2): a prefix ({@code eq} default,
 * {@code ne gt lt ge le}) and a date or dateTime whose precision makes it a range {@code [lo, hi)}
 * of local times in the studies' zone ({@code 2025} is the whole year, {@code 2025-01-10T08:30} a
 * minute). A value with a UTC offset is converted to that zone; one without is read in it.
 */
record StartedParam(String prefix, LocalDateTime lo, LocalDateTime hi) {
  private static final Pattern VALUE =
      Pattern.compile(
          "(eq|ne|gt|lt|ge|le|sa|eb|ap)?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
              + "(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?"
              + "(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?");

  static StartedParam parse(String value, ZoneId zone) {
    Matcher m = VALUE.matcher(value);
    if (!m.matches()) {
      throw FhirException.invalid(
          "started: expected [prefix]YYYY[-MM[-DD[Thh:mm[:ss[.f]][zone]]]]");
    }
    String prefix = m.group(1) == null ? "eq" : m.group(1);
    if (prefix.equals("sa") || prefix.equals("eb") || prefix.equals("ap")) {
      throw new FhirException(400, "not-supported", "started: prefix " + prefix + " not supported");
    }
    try {
      int year = Integer.parseInt(m.group(2));
      if (m.group(3) == null) {
        LocalDateTime lo = LocalDate.of(year, 1, 1).atStartOfDay();
        return new StartedParam(prefix, lo, lo.plusYears(1));
      }
      int month = Integer.parseInt(m.group(3));
      if (m.group(4) == null) {
        LocalDateTime lo = LocalDate.of(year, month, 1).atStartOfDay();
        return new StartedParam(prefix, lo, lo.plusMonths(1));
      }
      LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(4)));
      if (m.group(5) == null) {
        return new StartedParam(prefix, day.atStartOfDay(), day.plusDays(1).atStartOfDay());
      }
      LocalDateTime lo =
          day.atTime(
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)),
              m.group(7) == null ? 0 : Integer.parseInt(m.group(7)));
      LocalDateTime hi;
      if (m.group(7) == null) {
        hi = lo.plusMinutes(1);
      } else if (m.group(8) == null) {
        hi = lo.plusSeconds(1);
      } else {
        String f = m.group(8);
        long nanos = Long.parseLong((f + "000000000").substring(0, 9));
        long unit = (long) Math.pow(10, 9 - f.length());
        lo = lo.plusNanos(nanos);
        hi = lo.plusNanos(unit);
      }
      if (m.group(9) != null) {
        ZoneId given = m.group(9).equals("Z") ? ZoneId.of("Z") : ZoneId.of(m.group(9));
        lo = toZone(lo, given, zone);
        hi = toZone(hi, given, zone);
      }
      return new StartedParam(prefix, lo, hi);
    } catch (java.time.DateTimeException e) {
      throw FhirException.invalid("started: not a valid date or time");
    }
  }

  private static LocalDateTime toZone(LocalDateTime t, ZoneId from, ZoneId to) {
    return OffsetDateTime.of(t, from.getRules().getOffset(t))
        .atZoneSameInstant(to)
        .toLocalDateTime();
  }
}
