package org.strata.index.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** The index service's own settings ({@code strata.index.*}). */
@ConfigMapping(prefix = "strata.index")
public interface IndexConfig {

  /**
   * Issuer of Patient ID given to a tenant's patients that arrive without one, when {@link
   * #tenantIssuer()} names none: this prefix and the tenant id. Two hospitals' identical Patient
   * IDs thereby stay two patients.
   */
  @WithDefault("STRATA-")
  String defaultIssuerPrefix();

  /** Per-tenant default Issuer of Patient ID, e.g. {@code strata.index.tenant-issuer.hosp-a=HA}. */
  Map<String, String> tenantIssuer();

  default String defaultIssuer(String tenant) {
    return tenantIssuer().getOrDefault(tenant, defaultIssuerPrefix() + tenant);
  }
}
