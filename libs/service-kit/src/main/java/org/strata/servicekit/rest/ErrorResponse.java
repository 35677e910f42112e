package org.strata.servicekit.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error body of Strata's own HTTP APIs (ADR 0060): {@code {"status": 400, "reason":
 * "..."}}. The reason names the field or rule at fault, never a value a client sent (it may be
 * PHI). Standard APIs answer in their own form where the standard has one (FHIR's
 * OperationOutcome).
 */
public final class ErrorResponse {
  /** The JSON body. */
  public record Body(int status, String reason) {}

  private ErrorResponse() {}

  public static Response of(int status, String reason) {
    return builder(status, reason).build();
  }

  /** For answers that add headers, e.g. {@code Retry-After} on a 503. */
  public static Response.ResponseBuilder builder(int status, String reason) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new Body(status, reason));
  }
}
