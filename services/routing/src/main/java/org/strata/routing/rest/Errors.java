package org.strata.routing.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Client faults as {@code {"error": reason}}; the reason names the field, never PHI. */
final class Errors {
  private Errors() {}

  static Response of(int status, String reason) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("error", reason))
        .build();
  }
}
