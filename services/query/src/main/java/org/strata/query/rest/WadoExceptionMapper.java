package org.strata.query.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.strata.query.rest.QidoExceptionMapper.Problem;
import org.strata.query.wado.WadoException;

/** A WADO-RS request that cannot be answered: its status with {@code {"status", "reason"}}. */
@Provider
public class WadoExceptionMapper implements ExceptionMapper<WadoException> {

  @Override
  public Response toResponse(WadoException e) {
    return Response.status(e.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new Problem(e.status(), e.reason()))
        .build();
  }
}
