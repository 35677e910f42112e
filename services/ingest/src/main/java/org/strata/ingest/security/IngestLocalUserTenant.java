package org.strata.ingest.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.http.auth.CallerIdentity;
import org.strata.ingest.service.TenantResolver;
import org.strata.servicekit.security.LocalUserTenant;

/** The local user stores into the default tenant, as every client did before tokens. */
@ApplicationScoped
public class IngestLocalUserTenant implements LocalUserTenant {
  private final TenantResolver tenants;

  IngestLocalUserTenant(TenantResolver tenants) {
    this.tenants = tenants;
  }

  @Override
  public String tenant() {
    return tenants.forHttpClient().orElse(CallerIdentity.LOCAL_TENANT);
  }
}
