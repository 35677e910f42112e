package org.strata.servicekit.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.strata.audit.RefusalAlerts;
import org.strata.http.RequestTarget;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.servicekit.security.RequestChannels;

/**
 * Refuses, before routing, a request whose path segments or query values are not well-formed UTF-8,
 * hold a NUL or are too long ({@link RequestTarget}): 400 or 414 in the service's {@link
 * RefusalBody}, and a hostile-input alert for the audit trail. Reads the raw target, which the HTTP
 * stack would decode leniently (U+FFFD) or pass on to PostgreSQL (NUL). Every service gets it from
 * this library.
 */
public class RequestTargetFilter {
  // Providers: filters are made at static init, before the audit configuration exists.
  @Inject Provider<RefusalAlerts> alerts;
  @Inject Provider<CurrentCaller> caller;
  @Inject Provider<RequestChannels> channels;
  @Inject Provider<RefusalBody> body;

  @ServerRequestFilter(preMatching = true)
  public Response refuse(HttpServerRequest request) {
    RequestTarget.Refusal r = RequestTarget.check(request.uri());
    if (r == null) {
      return null;
    }
    alerts.get().hostileInput(caller.get().get(), channels.get().of(request.path()), r.reason());
    return body.get().of(request.path(), r.status(), r.reason());
  }
}
