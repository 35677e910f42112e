package org.strata.query.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.strata.audit.RefusalAlerts;
import org.strata.http.RequestTarget;
import org.strata.query.fhir.FhirException;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.servicekit.security.RequestChannels;

/**
 * Refuses, before routing, a request whose path segments or query values are not well-formed UTF-8,
 * hold a NUL or are too long ({@link RequestTarget}): 400 or 414, as an OperationOutcome under
 * {@code /fhir}, else {@code {"status": 400, "reason": ...}} as QIDO-RS and WADO-RS answer errors.
 * Reads the raw target, which the HTTP stack would decode leniently (U+FFFD) or pass on to
 * PostgreSQL (NUL).
 */
public class RequestTargetFilter {
  private final FhirExceptionMapper fhir = new FhirExceptionMapper();
  // Providers: filters are made at static init, before the audit configuration exists.
  @Inject Provider<RefusalAlerts> alerts;
  @Inject Provider<CurrentCaller> caller;
  @Inject Provider<RequestChannels> channels;

  @ServerRequestFilter(preMatching = true)
  public Response refuse(HttpServerRequest request) {
    RequestTarget.Refusal r = RequestTarget.check(request.uri());
    if (r == null) {
      return null;
    }
    alerts.get().hostileInput(caller.get().get(), channels.get().of(request.path()), r.reason());
    if (request.uri().startsWith("/fhir")) {
      String issue = r.status() == 414 ? "too-long" : "invalid";
      return fhir.toResponse(new FhirException(r.status(), issue, r.reason()));
    }
    return Response.status(r.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new QidoExceptionMapper.Problem(r.status(), r.reason()))
        .build();
  }
}
