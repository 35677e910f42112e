package org.strata.query.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.strata.query.qido.QidoException;
import org.strata.servicekit.rest.ErrorResponse;

/** A request QIDO-RS cannot run: 400 with {@code {"status": 400, "reason": "..."}}. */
@Provider
public class QidoExceptionMapper implements ExceptionMapper<QidoException> {

  @Override
  public Response toResponse(QidoException e) {
    return ErrorResponse.of(400, e.reason());
  }
}
