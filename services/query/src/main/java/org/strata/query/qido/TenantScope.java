package org.strata.query.qido;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.strata.indexschema.StudyTable;

/**
 * What a caller may read (ADR 0025), as conditions inside every query's SQL. Matching happens in
 * the caller's {@code tenants}; the other {@code visible} tenants are reached only through patient
 * links (ADR 0012): a search by Patient ID also returns the studies of the patients linked to a
 * matching patient, when they belong to a visible tenant. A link never widens what a caller may
 * see. A tenant of {@code labels} is seen only through its studies carrying one of the labels (a
 * department-limited token). No tenant at all sees nothing.
 *
 * @param tenants the tenants where the matching keys are matched (empty: nothing is seen)
 * @param visible every tenant the caller may read, {@code tenants} included
 * @param labels the tenants the caller sees only some departments of, with their access labels
 */
public record TenantScope(
    Set<String> tenants, Set<String> visible, Map<String, Set<String>> labels) {

  public TenantScope {
    tenants = Set.copyOf(tenants);
    Set<String> all = new LinkedHashSet<>(tenants);
    if (visible != null) {
      all.addAll(visible);
    }
    visible = Set.copyOf(all);
    Map<String, Set<String>> copy = new HashMap<>();
    if (labels != null) {
      labels.forEach((t, l) -> copy.put(t, Set.copyOf(l)));
    }
    labels = Map.copyOf(copy);
  }

  /** One tenant seen whole, whose callers' links reach {@code visible} (configuration). */
  public TenantScope(String tenant, Set<String> visible) {
    this(Set.of(requireTenant(tenant)), visible, Map.of());
  }

  private static String requireTenant(String tenant) {
    if (tenant == null || tenant.isBlank()) {
      throw new IllegalArgumentException("tenant is required");
    }
    return tenant;
  }

  /** Only the caller's own tenant, whole. */
  public static TenantScope of(String tenant) {
    return new TenantScope(tenant, Set.of(tenant));
  }

  /** A token's scope: its tenants, whole or by label; links reach only those tenants. */
  public static TenantScope ofToken(Set<String> tenants, Map<String, Set<String>> labels) {
    return new TenantScope(tenants, tenants, labels);
  }

  /** Whether some tenant is seen only through labels (a department-limited token). */
  public boolean limitsByLabel() {
    return !labels.isEmpty();
  }

  /** The matching tenants as a SQL array parameter, in a stable order. */
  public String[] tenantArray() {
    return tenants.stream().sorted().toArray(String[]::new);
  }

  /** The visible tenants as a SQL array parameter, in a stable order. */
  public String[] visibleArray() {
    return visible.stream().sorted().toArray(String[]::new);
  }

  /**
   * The condition limiting the study of alias {@code st} to the scope, with {@code ?} where its
   * values ({@link #studyValues}) go: its tenant is seen whole, or it carries one of the labels the
   * caller holds in its tenant.
   */
  public String studyCondition(String st) {
    String tenant = st + "." + StudyTable.TENANT;
    if (labels.isEmpty()) {
      return tenant + " = any(?)";
    }
    return "("
        + tenant
        + " = any(?) or exists (select 1 from unnest(?::text[], ?::text[]) g(t, l) where g.t = "
        + tenant
        + " and g.l = any("
        + st
        + "."
        + StudyTable.ACCESS_LABELS
        + ")))";
  }

  /**
   * The values of {@link #studyCondition}, in order.
   *
   * @param linked whether the visible tenants count (a search by Patient ID) or only the matching
   */
  public Object[] studyValues(boolean linked) {
    String[] whole =
        (linked ? visible : tenants)
            .stream().filter(t -> !labels.containsKey(t)).sorted().toArray(String[]::new);
    if (labels.isEmpty()) {
      return new Object[] {whole};
    }
    List<String> t = new ArrayList<>();
    List<String> l = new ArrayList<>();
    labels.keySet().stream()
        .sorted()
        .forEach(
            tenant ->
                labels.get(tenant).stream()
                    .sorted()
                    .forEach(
                        label -> {
                          t.add(tenant);
                          l.add(label);
                        }));
    return new Object[] {whole, t.toArray(String[]::new), l.toArray(String[]::new)};
  }

  /**
   * {@link #studyCondition} with numbered placeholders {@code $first}, {@code $first+1} ... for
   * statements written with PostgreSQL's numbered parameters.
   */
  public String studyConditionNumbered(String st, int first) {
    String text = studyCondition(st);
    StringBuilder out = new StringBuilder();
    int n = first;
    for (char c : text.toCharArray()) {
      if (c == '?') {
        out.append('$').append(n++);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
