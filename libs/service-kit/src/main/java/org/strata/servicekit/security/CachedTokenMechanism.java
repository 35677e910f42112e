package org.strata.servicekit.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Admits a request whose bearer token OIDC validated before and {@link VerifiedTokenCache} still
 * holds (ADR 0069). Runs after {@link LocalUserMechanism} and before the OIDC mechanism; a token it
 * does not find is left to OIDC, which validates it (and, through {@link
 * VerifiedTokenCacheAugmentor}, caches it when valid).
 */
@ApplicationScoped
public class CachedTokenMechanism extends BeforeOidcMechanism {
  private final VerifiedTokenCache cache;

  CachedTokenMechanism(VerifiedTokenCache cache) {
    this.cache = cache;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String token = bearerToken(context.request().getHeader("Authorization"));
    if (token == null) {
      return Uni.createFrom().nullItem();
    }
    return cache
        .find(token)
        .map(
            identity ->
                Uni.createFrom()
                    .<SecurityIdentity>item(
                        QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(VerifiedTokenCache.ROUTING_CONTEXT, context)
                            .build()))
        .orElseGet(() -> Uni.createFrom().nullItem());
  }

  /** The token of an {@code Authorization: Bearer <token>} header, else null. */
  static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    int space = authorization.indexOf(' ');
    if (space <= 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
      return null;
    }
    String token = authorization.substring(space + 1).trim();
    return token.isEmpty() ? null : token;
  }

  @Override
  public int getPriority() {
    return DEFAULT_PRIORITY + 50;
  }
}
