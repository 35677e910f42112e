package org.strata.query.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.TenantGroups;
import org.strata.query.config.QueryConfig;
import org.strata.query.qido.TenantScope;
import org.strata.query.qido.TenantScopes;

/**
 * The one place that knows who calls: the {@link CallerIdentity} of the current HTTP request, made
 * once from the validated token (roles, and tenants from its {@code strata_groups}) or the
 * local-user rule (whose tenant is {@code strata.query.default-tenant}). Inject this, never the
 * token.
 */
@RequestScoped
public class CurrentCaller {
  private final SecurityIdentity identity;
  private final CurrentVertxRequest request;
  private final QueryConfig config;
  private final TenantScopes scopes;
  private CallerIdentity caller;

  CurrentCaller(
      SecurityIdentity identity,
      CurrentVertxRequest request,
      QueryConfig config,
      TenantScopes scopes) {
    this.identity = identity;
    this.request = request;
    this.config = config;
    this.scopes = scopes;
  }

  /**
   * What the caller may read (ADR 0025): a token's tenants and departments from its {@code
   * strata_groups}, links reaching only those tenants; the local user's tenant with the tenants
   * {@code strata.query.tenant-scopes} lets its links reach.
   */
  public TenantScope scope() {
    CallerIdentity c = get();
    if (isLocalUser()) {
      return scopes.of(c.tenants().iterator().next());
    }
    return TenantScope.ofToken(c.tenants(), c.labels());
  }

  private boolean isLocalUser() {
    return Boolean.TRUE.equals(identity.getAttribute(LocalUserMechanism.LOCAL_USER));
  }

  public CallerIdentity get() {
    if (caller == null) {
      var http = request.getCurrent();
      var peer = http == null ? null : http.request().remoteAddress();
      caller =
          CallerIdentity.ofHttp(
              isLocalUser(),
              identity.isAnonymous() ? null : identity.getPrincipal().getName(),
              identity.getRoles(),
              identity.getPrincipal() instanceof JsonWebToken jwt
                  ? jwt.getClaim(TenantGroups.CLAIM)
                  : null,
              peer == null ? null : peer.hostAddress(),
              config.defaultTenant().value());
    }
    return caller;
  }
}
