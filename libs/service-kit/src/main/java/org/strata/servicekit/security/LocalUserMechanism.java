package org.strata.servicekit.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.http.auth.AuthMode;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.Roles;

/**
 * The local profile's welcome (strata.auth.mode=local): a request from loopback without a token is
 * the local user (every role). Runs before the OIDC mechanism; any other request, and every request
 * that carries a token, is left to OIDC.
 */
@ApplicationScoped
public class LocalUserMechanism extends BeforeOidcMechanism {
  /** Marks the local user's SecurityIdentity for {@link CurrentCaller}. */
  public static final String LOCAL_USER = "strata.local-user";

  private final AuthMode mode;

  LocalUserMechanism(
      @ConfigProperty(name = "strata.auth.mode", defaultValue = "required") String mode) {
    this.mode = AuthMode.parse(mode);
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    var request = context.request();
    var peer = request.remoteAddress();
    if (!CallerIdentity.actsAsLocalUser(
        mode, request.getHeader("Authorization"), peer == null ? null : peer.hostAddress())) {
      return Uni.createFrom().nullItem();
    }
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(CallerIdentity.LOCAL_SUBJECT))
                .addRoles(Roles.ALL)
                .addAttribute(LOCAL_USER, Boolean.TRUE)
                .build());
  }

  @Override
  public int getPriority() {
    return DEFAULT_PRIORITY + 100;
  }
}
