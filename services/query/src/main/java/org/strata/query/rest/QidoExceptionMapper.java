package org.strata.query.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.strata.query.qido.QidoException;

/** A request QIDO-RS cannot run: 400 with {@code {"status": 400, "reason": "..."}}. */
@Provider
public class QidoExceptionMapper implements ExceptionMapper<QidoException> {

  /** The body of an error answer. */
  public record Problem(int status, String reason) {}

  @Override
  public Response toResponse(QidoException e) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new Problem(400, e.reason()))
        .build();
  }
}
