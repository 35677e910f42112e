package org.strata.tiering.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Client faults as {@code {"status", "reason"}}; the reason names the parameter, never a value. */
final class Errors {
  private Errors() {}

  static Response of(Response.Status status, String reason) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("status", status.getStatusCode(), "reason", reason))
        .build();
  }
}
