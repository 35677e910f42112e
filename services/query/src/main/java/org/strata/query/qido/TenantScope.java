package org.strata.query.qido;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The tenants a search may read. Matching happens in the caller's own {@code tenant}; the other
 * {@code visible} tenants are reached only through patient links (ADR 0012): a search by Patient ID
 * also returns the studies of the patients linked to a matching patient, when they belong to a
 * visible tenant. A link never widens what a caller may see.
 *
 * @param tenant the caller's tenant, where the matching keys are matched
 * @param visible every tenant the caller may read, {@code tenant} included
 */
public record TenantScope(String tenant, Set<String> visible) {

  public TenantScope {
    if (tenant == null || tenant.isBlank()) {
      throw new IllegalArgumentException("tenant is required");
    }
    Set<String> all = new LinkedHashSet<>();
    all.add(tenant);
    if (visible != null) {
      all.addAll(visible);
    }
    visible = Set.copyOf(all);
  }

  /** Only the caller's own tenant. */
  public static TenantScope of(String tenant) {
    return new TenantScope(tenant, Set.of(tenant));
  }

  /** The visible tenants as a SQL array parameter, in a stable order. */
  String[] visibleArray() {
    return visible.stream().sorted().toArray(String[]::new);
  }
}
