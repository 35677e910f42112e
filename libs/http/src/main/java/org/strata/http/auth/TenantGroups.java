package org.strata.http.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.strata.ids.AccessLabel;
import org.strata.ids.TenantId;

/**
 * The tenants and departments a token holds, from its {@code strata_groups} claim (Keycloak group
 * membership as full paths, ADR 0025): {@code /tenants/<tenant>} is the whole tenant, {@code
 * /tenants/<tenant>/<department>} only the tenant's studies carrying that access label. Holding the
 * whole tenant makes its departments moot. Paths that are not under {@code /tenants}, or whose
 * names break the tenant-id rule, give nothing: a token without a tenant group sees nothing.
 *
 * @param tenants every tenant the token may act in, whole or limited to departments
 * @param labels for the tenants limited to departments, their labels; a tenant of {@code tenants}
 *     without an entry is whole
 */
public record TenantGroups(Set<String> tenants, Map<String, Set<String>> labels) {
  /** The claim that carries the group paths (a mapper of every Strata client of the realm). */
  public static final String CLAIM = "strata_groups";

  private static final String PREFIX = "/tenants/";

  public static final TenantGroups NONE = new TenantGroups(Set.of(), Map.of());

  public TenantGroups {
    tenants = Set.copyOf(tenants);
    Map<String, Set<String>> copy = new HashMap<>();
    labels.forEach((t, l) -> copy.put(t, Set.copyOf(l)));
    labels = Map.copyOf(copy);
  }

  /**
   * Reads the claim's value as the token library hands it: a collection of strings, or of JSON
   * string values (jakarta.json's {@code JsonString} prints as a quoted JSON literal), or null.
   */
  public static TenantGroups fromClaim(Object claim) {
    if (claim == null) {
      return NONE;
    }
    Collection<?> values = claim instanceof Collection<?> c ? c : List.of(claim);
    Set<String> whole = new HashSet<>();
    Map<String, Set<String>> departments = new HashMap<>();
    for (Object v : values) {
      String path = text(v);
      if (path == null || !path.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = path.substring(PREFIX.length()).split("/", -1);
      if (parts.length > 2 || !TenantId.isValid(parts[0])) {
        continue;
      }
      String tenant = TenantId.parse(parts[0]).value();
      if (parts.length == 1) {
        whole.add(tenant);
      } else if (AccessLabel.isValid(parts[1])) {
        departments.computeIfAbsent(tenant, t -> new HashSet<>()).add(AccessLabel.parse(parts[1]));
      }
    }
    Set<String> tenants = new HashSet<>(whole);
    tenants.addAll(departments.keySet());
    departments.keySet().removeAll(whole);
    return new TenantGroups(tenants, departments);
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    String s = value.toString();
    if (!(value instanceof CharSequence)
        && s.length() >= 2
        && s.startsWith("\"")
        && s.endsWith("\"")) {
      // A JSON string literal; group paths of the tenant rule need no escapes.
      s = s.substring(1, s.length() - 1);
    }
    return s;
  }
}
