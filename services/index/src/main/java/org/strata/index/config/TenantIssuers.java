package org.strata.index.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.strata.ids.TenantId;

/**
 * The default Issuer of Patient ID of each tenant ({@code strata.index.tenant-issuer.<tenant>},
 * else {@code default-issuer-prefix} and the tenant id), with the configured tenants parsed once at
 * start by the one tenant rule (ADR 0022): {@code strata.index.tenant-issuer."Hosp.A"} is tenant
 * {@code hosp.a}, and a malformed tenant stops the service naming its key.
 */
@Startup
@ApplicationScoped
public class TenantIssuers {
  private final Map<String, String> byTenant = new HashMap<>();
  private final String prefix;

  public TenantIssuers(IndexConfig config) {
    this.prefix = config.defaultIssuerPrefix();
    config
        .tenantIssuer()
        .forEach(
            (key, issuer) -> {
              String where = "strata.index.tenant-issuer." + key + ": ";
              String tenant;
              try {
                tenant = TenantId.parseConfigKey(key).value();
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
              }
              if (byTenant.put(tenant, issuer) != null) {
                throw new IllegalArgumentException(where + "tenant " + tenant + " listed twice");
              }
            });
  }

  /** The default issuer of a (canonical) tenant's patients that arrive without one. */
  public String of(String tenant) {
    return byTenant.getOrDefault(tenant, prefix + tenant);
  }
}
