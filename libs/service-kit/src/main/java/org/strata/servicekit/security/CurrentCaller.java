package org.strata.servicekit.security;

import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.TenantGroups;

/**
 * The one place that knows who calls: the {@link CallerIdentity} of the current HTTP request, made
 * once from the validated token (roles, and tenants and departments from its {@code strata_groups},
 * ADR 0025) or the local-user rule. Inject this, never the token.
 */
@RequestScoped
public class CurrentCaller {
  private final SecurityIdentity identity;
  private final CurrentVertxRequest request;
  private final LocalUserTenant localTenant;
  private CallerIdentity caller;

  CurrentCaller(
      SecurityIdentity identity, CurrentVertxRequest request, LocalUserTenant localTenant) {
    this.identity = identity;
    this.request = request;
    this.localTenant = localTenant;
  }

  /** Whether the request was admitted by the local-user rule (local mode, loopback, no token). */
  public boolean isLocalUser() {
    return Boolean.TRUE.equals(identity.getAttribute(LocalUserMechanism.LOCAL_USER));
  }

  /**
   * Whether the caller may administer {@code tenant} (canonical) through the admin APIs (ADR 0025):
   * a token holding the whole tenant ({@code /tenants/<tenant>}, not only a department of it), or
   * the local user (local mode, a developer's machine), whatever the tenant.
   */
  public boolean mayAdminister(String tenant) {
    return isLocalUser() || get().seesWhole(tenant);
  }

  /** Whether the caller may administer every tenant at once: the local user only. */
  public boolean mayAdministerAll() {
    return isLocalUser();
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
              groupsClaim(),
              peer == null ? null : peer.hostAddress(),
              localTenant.tenant());
    }
    return caller;
  }

  /**
   * The token's {@code strata_groups}. Read from the parsed claims where the principal has them:
   * {@link JsonWebToken#getClaim} looks a custom claim's name up among the standard ones with
   * {@code Enum.valueOf} and throws, and a stack trace per request is not free.
   */
  private Object groupsClaim() {
    if (identity.getPrincipal() instanceof OidcJwtCallerPrincipal oidc) {
      return oidc.getClaims().getClaimValue(TenantGroups.CLAIM);
    }
    return identity.getPrincipal() instanceof JsonWebToken jwt
        ? jwt.getClaim(TenantGroups.CLAIM)
        : null;
  }
}
