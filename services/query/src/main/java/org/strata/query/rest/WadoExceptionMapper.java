package org.strata.query.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.strata.query.wado.WadoException;
import org.strata.servicekit.rest.ErrorResponse;

/**
 * A WADO-RS request that cannot be answered: its status with {@code {"status", "reason"}} (and
 * Retry-After for a nearline tier not serving now).
 */
@Provider
public class WadoExceptionMapper implements ExceptionMapper<WadoException> {

  @Override
  public Response toResponse(WadoException e) {
    Response r = ErrorResponse.of(e.status(), e.reason());
    return e.retryAfterSeconds() > 0
        ? Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds()).build()
        : r;
  }
}
