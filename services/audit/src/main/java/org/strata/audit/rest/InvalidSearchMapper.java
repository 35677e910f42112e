package org.strata.audit.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.strata.audit.fhir.AuditEventBundles;
import org.strata.audit.fhir.InvalidSearchException;

/** An unreadable search parameter: 400 with an OperationOutcome naming it. */
@Provider
public class InvalidSearchMapper implements ExceptionMapper<InvalidSearchException> {
  @Override
  public Response toResponse(InvalidSearchException e) {
    return Response.status(400)
        .type(AuditEventResource.FHIR_JSON)
        .entity(AuditEventBundles.outcome(e.getMessage()))
        .build();
  }
}
