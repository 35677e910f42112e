package org.strata.servicekit.security;

import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * A mechanism that runs before the OIDC one and either admits a request itself or leaves it to OIDC
 * (a null identity): it never challenges (OIDC answers 401 with its challenge) and takes no
 * credential of its own.
 */
abstract class BeforeOidcMechanism implements HttpAuthenticationMechanism {
  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().nullItem();
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of();
  }
}
