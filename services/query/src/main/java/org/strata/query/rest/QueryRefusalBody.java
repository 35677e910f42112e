package org.strata.query.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.strata.query.fhir.FhirException;
import org.strata.servicekit.rest.ErrorResponse;
import org.strata.servicekit.rest.RefusalBody;

/** Refused request targets under {@code /fhir} as an OperationOutcome, elsewhere as JSON. */
@ApplicationScoped
public class QueryRefusalBody implements RefusalBody {
  private final FhirExceptionMapper fhir = new FhirExceptionMapper();

  @Override
  public Response of(String path, int status, String reason) {
    if (path.startsWith("/fhir")) {
      String issue = status == 414 ? "too-long" : "invalid";
      return fhir.toResponse(new FhirException(status, issue, reason));
    }
    return ErrorResponse.of(status, reason);
  }
}
