package org.strata.tiering.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.TenantGroups;

/**
 * The one place that knows who calls: the {@link CallerIdentity} of the current HTTP request, made
 * once from the validated token or the local-user rule. Inject this, never the token.
 */
@RequestScoped
public class CurrentCaller {
  private final SecurityIdentity identity;
  private final CurrentVertxRequest request;
  private CallerIdentity caller;

  CurrentCaller(SecurityIdentity identity, CurrentVertxRequest request) {
    this.identity = identity;
    this.request = request;
  }

  /**
   * Whether the caller may administer {@code tenant} (canonical): a token holding the whole tenant
   * ({@code /tenants/<tenant>}, ADR 0025), or the local user, whatever the tenant.
   */
  public boolean mayAdminister(String tenant) {
    return isLocalUser() || get().seesWhole(tenant);
  }

  /** Whether the request acts as the local user (local mode, loopback, no token). */
  public boolean isLocalUser() {
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
              CallerIdentity.LOCAL_TENANT);
    }
    return caller;
  }
}
