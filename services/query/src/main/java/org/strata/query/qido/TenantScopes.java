package org.strata.query.qido;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.strata.ids.TenantId;
import org.strata.query.config.QueryConfig;

/**
 * Which tenants a caller of each tenant may read ({@code strata.query.tenant-scopes.<tenant>}, a
 * comma-separated list; ADR 0012): matching stays in the caller's own tenant, the others are
 * reached only through patient links. Read once at start; a tenant without an entry sees itself.
 * Tenants are parsed by the one rule ({@link TenantId}, ADR 0022): {@code Hosp.A} is {@code
 * hosp.a}.
 */
@ApplicationScoped
public class TenantScopes {
  private final Map<String, TenantScope> scopes = new HashMap<>();

  public TenantScopes(QueryConfig config) {
    config
        .tenantScopes()
        .forEach(
            (key, list) -> {
              // Refuse to start rather than guess what a hospital may see.
              String where = "strata.query.tenant-scopes." + key + ": ";
              String tenant = configKey(key, where);
              Set<String> visible = new LinkedHashSet<>();
              for (String t : list.split(",")) {
                String v = t.strip();
                if (!v.isEmpty()) {
                  visible.add(tenant(v, where));
                }
              }
              if (scopes.put(tenant, new TenantScope(tenant, visible)) != null) {
                throw new IllegalArgumentException(where + "tenant " + tenant + " listed twice");
              }
            });
  }

  private static String tenant(String value, String where) {
    try {
      return TenantId.parse(value).value();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
  }

  private static String configKey(String key, String where) {
    try {
      return TenantId.parseConfigKey(key).value();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
  }

  /** The scope of a caller of {@code tenant} (canonical, as every edge hands it on). */
  public TenantScope of(String tenant) {
    TenantScope scope = scopes.get(tenant);
    return scope != null ? scope : TenantScope.of(tenant);
  }
}
