package org.strata.index.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import org.strata.http.auth.CallerIdentity;

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

  public CallerIdentity get() {
    if (caller == null) {
      String address =
          request.getCurrent() == null ? null : Peers.text(request.getCurrent().request());
      if (Boolean.TRUE.equals(identity.getAttribute(LocalUserMechanism.LOCAL_USER))) {
        caller = CallerIdentity.local(address);
      } else if (identity.isAnonymous()) {
        caller = new CallerIdentity("anonymous", Set.of(), Set.of(), address, null);
      } else {
        caller =
            CallerIdentity.fromToken(
                identity.getPrincipal().getName(), identity.getRoles(), address);
      }
    }
    return caller;
  }
}
