package org.strata.query.security;

import jakarta.enterprise.context.RequestScoped;
import org.strata.http.auth.CallerIdentity;
import org.strata.query.qido.TenantScope;
import org.strata.query.qido.TenantScopes;
import org.strata.servicekit.security.CurrentCaller;

/**
 * What the caller may read (ADR 0025): a token's tenants and departments from its {@code
 * strata_groups}, links reaching only those tenants; the local user's tenant with the tenants
 * {@code strata.query.tenant-scopes} lets its links reach.
 */
@RequestScoped
public class ReadScope {
  private final CurrentCaller caller;
  private final TenantScopes scopes;

  ReadScope(CurrentCaller caller, TenantScopes scopes) {
    this.caller = caller;
    this.scopes = scopes;
  }

  public TenantScope get() {
    CallerIdentity c = caller.get();
    if (caller.isLocalUser()) {
      return scopes.of(c.tenants().iterator().next());
    }
    return TenantScope.ofToken(c.tenants(), c.labels());
  }
}
