package org.strata.query.qido;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.strata.query.config.QueryConfig;

/**
 * Which tenants a caller of each tenant may read ({@code strata.query.tenant-scopes.<tenant>}, a
 * comma-separated list; ADR 0012): matching stays in the caller's own tenant, the others are
 * reached only through patient links. Read once at start; a tenant without an entry sees itself.
 */
@ApplicationScoped
public class TenantScopes {
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final Map<String, TenantScope> scopes = new HashMap<>();

  public TenantScopes(QueryConfig config) {
    config
        .tenantScopes()
        .forEach(
            (tenant, list) -> {
              Set<String> visible = new LinkedHashSet<>();
              for (String t : list.split(",")) {
                String v = t.strip();
                if (v.isEmpty()) {
                  continue;
                }
                if (!TENANT.matcher(v).matches()) {
                  // Refuse to start rather than guess what a hospital may see.
                  throw new IllegalArgumentException(
                      "strata.query.tenant-scopes." + tenant + ": invalid tenant '" + v + "'");
                }
                visible.add(v);
              }
              scopes.put(tenant, new TenantScope(tenant, visible));
            });
  }

  /** The scope of a caller of {@code tenant}. */
  public TenantScope of(String tenant) {
    TenantScope scope = scopes.get(tenant);
    return scope != null ? scope : TenantScope.of(tenant);
  }
}
