package org.strata.servicekit.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Puts the identity OIDC made from a bearer token into {@link VerifiedTokenCache} (ADR 0069). It
 * runs last of the augmentors, so the cached identity is the one the request finally got; only
 * identities authenticated by an access token whose principal is the validated JWT are kept.
 */
@ApplicationScoped
public class VerifiedTokenCacheAugmentor implements SecurityIdentityAugmentor {
  private final VerifiedTokenCache cache;

  VerifiedTokenCacheAugmentor(VerifiedTokenCache cache) {
    this.cache = cache;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
    if (credential != null
        && !identity.isAnonymous()
        && identity.getPrincipal() instanceof JsonWebToken jwt) {
      cache.put(credential.getToken(), identity, jwt.getExpirationTime(), jwt.getIssuedAtTime());
    }
    return Uni.createFrom().item(identity);
  }

  @Override
  public int priority() {
    return Integer.MIN_VALUE;
  }
}
