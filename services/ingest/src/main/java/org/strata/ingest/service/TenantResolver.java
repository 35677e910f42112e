package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.strata.ingest.config.IngestConfig;

/**
 * Which hospital (tenant) an association or request belongs to: by calling AE title from
 * configuration, else the default tenant if one is configured (the local profile), else none, and
 * the caller is refused.
 */
@ApplicationScoped
public class TenantResolver {
  private final IngestConfig config;

  public TenantResolver(IngestConfig config) {
    this.config = config;
  }

  public Optional<String> forCallingAe(String callingAeTitle) {
    String mapped =
        callingAeTitle == null ? null : config.tenants().byCallingAe().get(callingAeTitle.trim());
    return mapped != null ? Optional.of(mapped) : config.tenants().defaultTenant();
  }

  /** STOW-RS clients: the default tenant until the OIDC token names the hospital. */
  public Optional<String> forHttpClient() {
    return config.tenants().defaultTenant();
  }
}
