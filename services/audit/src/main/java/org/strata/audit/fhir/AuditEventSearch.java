package org.strata.audit.fhir;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.strata.audit.repository.AuditQuery;
import org.strata.events.AuditEventTypes;

/**
 * The IHE RESTful ATNA (ITI-81) search parameters of {@code GET /fhir/AuditEvent} turned into an
 * {@link AuditQuery}: {@code date}, {@code patient.identifier}, {@code agent}, {@code entity},
 * {@code type}, {@code subtype}, {@code outcome}, {@code source}, with {@code _count} and {@code
 * _offset} for paging. Occurrences of a parameter are ANDed, comma-separated values ORed; an
 * unknown parameter is 400 (a silently ignored filter would widen an auditor's answer).
 */
public final class AuditEventSearch {
  public static final int DEFAULT_COUNT = 50;
  public static final int MAX_COUNT = 500;

  private AuditEventSearch() {}

  /** A parsed search: the query and its page. */
  public record Page(AuditQuery query, int count, long offset) {}

  public static Page parse(Map<String, List<String>> parameters, Set<String> tenants) {
    AuditQuery query = new AuditQuery(tenants);
    int count = DEFAULT_COUNT;
    long offset = 0;
    for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
      String name = p.getKey();
      for (String occurrence : p.getValue()) {
        switch (name) {
          case "_count" -> count = (int) number(name, occurrence, 1, MAX_COUNT);
          case "_offset" -> offset = number(name, occurrence, 0, Integer.MAX_VALUE);
          case "_format" -> {}
          default -> condition(query.anyOf(), name, occurrence);
        }
      }
    }
    return new Page(query, count, offset);
  }

  private static void condition(AuditQuery.AnyOf any, String name, String occurrence) {
    for (String value : occurrence.split(",", -1)) {
      if (value.isEmpty()) {
        throw new InvalidSearchException(name + ": empty value");
      }
      switch (name) {
        case "date" -> date(any, DateRange.parse(name, value));
        case "patient.identifier" -> patient(any, value);
        case "agent" -> any.actor(value);
        case "entity" -> any.study(value.startsWith("urn:oid:") ? value.substring(8) : value);
        case "type" -> type(any, value);
        case "subtype" -> any.channel(afterSystem(value));
        case "outcome" -> any.outcome(outcome(afterSystem(value)));
        case "source" -> any.service(value);
        default -> throw new InvalidSearchException(name + ": not a supported parameter");
      }
    }
  }

  private static void date(AuditQuery.AnyOf any, DateRange d) {
    switch (d.prefix()) {
      case "ge" -> any.occurredAtLeast(d.lo());
      case "gt" -> any.occurredAtLeast(d.hi());
      case "le" -> any.occurredBefore(d.hi());
      case "lt" -> any.occurredBefore(d.lo());
      default -> any.occurredWithin(d.lo(), d.hi());
    }
  }

  /** {@code system|value} (issuer and ID), {@code |value} (no issuer) or {@code value} (any). */
  private static void patient(AuditQuery.AnyOf any, String token) {
    int bar = token.indexOf('|');
    if (bar < 0) {
      any.patientAnyIssuer(token);
    } else if (bar == token.length() - 1) {
      throw new InvalidSearchException("patient.identifier: a value is required after '|'");
    } else {
      any.patient(token.substring(0, bar), token.substring(bar + 1));
    }
  }

  /** A DCM event ID code ({@code 110112} or {@code <DCM system>|110112}). */
  private static void type(AuditQuery.AnyOf any, String token) {
    String code = afterSystem(token);
    String eventType =
        AuditEventTypes.DCM_CODES.entrySet().stream()
            .filter(e -> e.getValue().equals(code) || e.getKey().equals(code))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    if (eventType == null) {
      any.nothing();
    } else {
      any.eventType(eventType);
    }
  }

  private static int outcome(String code) {
    return switch (code) {
      case "0", "4", "8", "12" -> Integer.parseInt(code);
      default -> throw new InvalidSearchException("outcome: one of 0, 4, 8, 12");
    };
  }

  private static String afterSystem(String token) {
    int bar = token.indexOf('|');
    return bar < 0 ? token : token.substring(bar + 1);
  }

  private static long number(String name, String value, long min, long max) {
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw new InvalidSearchException(name + ": between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidSearchException(name + ": not a number");
    }
  }
}
