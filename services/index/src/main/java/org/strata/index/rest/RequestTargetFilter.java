package org.strata.index.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.strata.audit.RefusalAlerts;
import org.strata.http.RequestTarget;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.servicekit.security.RequestChannels;

/**
 * Refuses, before routing, an admin request whose path segments or query values are not well-formed
 * UTF-8, hold a NUL or are too long ({@link RequestTarget}): 400 or 414 with {@code {"error":
 * reason}}, never a PostgreSQL error. Reads the raw target, which the HTTP stack would decode
 * leniently.
 */
public class RequestTargetFilter {
  // Providers: filters are made at static init, before the audit configuration exists.
  @Inject Provider<RefusalAlerts> alerts;
  @Inject Provider<CurrentCaller> caller;
  @Inject Provider<RequestChannels> channels;

  @ServerRequestFilter(preMatching = true)
  public Response refuse(HttpServerRequest request) {
    RequestTarget.Refusal r = RequestTarget.check(request.uri());
    if (r != null) {
      alerts.get().hostileInput(caller.get().get(), channels.get().of(request.path()), r.reason());
    }
    return r == null
        ? null
        : Response.status(r.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(Map.of("error", r.reason()))
            .build();
  }
}
