package org.strata.audit.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A search of the audit trail: conditions ANDed, each an OR of alternatives; built by the FHIR and
 * report parsers with the methods below only, so the SQL text is made of constants and every value
 * is a bound parameter.
 */
public final class AuditQuery {
  private final Set<String> tenants;
  private final List<AnyOf> conditions = new ArrayList<>();

  /** A search within these tenants (never none: the caller's scope). */
  public AuditQuery(Set<String> tenants) {
    this.tenants = Set.copyOf(tenants);
  }

  /** One condition: any of its alternatives. */
  public final class AnyOf {
    private final List<String> alternatives = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    public AnyOf occurredAtLeast(Instant from) {
      return add("occurred_at >= ?", Timestamp.from(from));
    }

    public AnyOf occurredBefore(Instant to) {
      return add("occurred_at < ?", Timestamp.from(to));
    }

    public AnyOf occurredWithin(Instant from, Instant to) {
      return add(
          "(occurred_at >= ? AND occurred_at < ?)", Timestamp.from(from), Timestamp.from(to));
    }

    /** A patient with this issuer and ID ({@code issuer} empty: recorded without one). */
    public AnyOf patient(String issuer, String id) {
      return add("patients @> ARRAY[?]::text[]", RecordColumns.patientToken(issuer, id));
    }

    /** A patient with this ID, whatever its issuer. */
    public AnyOf patientAnyIssuer(String id) {
      return add(
          "EXISTS (SELECT 1 FROM unnest(patients) p WHERE substr(p, strpos(p, '|') + 1) = ?)", id);
    }

    public AnyOf actor(String actor) {
      return add("actor = ?", actor);
    }

    public AnyOf study(String studyInstanceUid) {
      return add("studies @> ARRAY[?]::text[]", studyInstanceUid);
    }

    public AnyOf eventType(String eventType) {
      return add("event_type = ?", eventType);
    }

    public AnyOf channel(String channel) {
      return add("channel = ?", channel);
    }

    public AnyOf outcome(int code) {
      return add("outcome = ?", (short) code);
    }

    public AnyOf service(String service) {
      return add("service = ?", service);
    }

    /** Matches nothing (a code that names no event type). */
    public AnyOf nothing() {
      alternatives.add("FALSE");
      return this;
    }

    private AnyOf add(String sql, Object... bound) {
      alternatives.add(sql);
      values.addAll(List.of(bound));
      return this;
    }
  }

  /** Adds a condition; fill it with its alternatives (a condition left empty is no condition). */
  public AnyOf anyOf() {
    AnyOf any = new AnyOf();
    conditions.add(any);
    return any;
  }

  /** The WHERE clause and its values, tenants first. */
  String where(List<Object> bound) {
    StringBuilder sql = new StringBuilder("tenant = ANY(?)");
    bound.add(tenants.toArray(String[]::new));
    for (AnyOf any : conditions) {
      if (!any.alternatives.isEmpty()) {
        sql.append(" AND (").append(String.join(" OR ", any.alternatives)).append(")");
        bound.addAll(any.values);
      }
    }
    return sql.toString();
  }
}
