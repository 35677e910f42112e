package org.strata.query.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.strata.query.fhir.FhirException;
import org.strata.query.fhir.ImagingStudyService;

/** A FHIR request that cannot be answered: its status with an OperationOutcome. */
@Provider
public class FhirExceptionMapper implements ExceptionMapper<FhirException> {

  @Override
  public Response toResponse(FhirException e) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.fromCode(e.issueCode()))
        .setDiagnostics(e.getMessage());
    return Response.status(e.status())
        .type(FhirResource.FHIR_JSON + ";charset=utf-8")
        .entity(ImagingStudyService.json(outcome))
        .build();
  }
}
