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

  /**
   * 503: Kafka did not acknowledge an announcement, or the audit spool is full (ADR 0035). What
   * this service journaled stays; repeating the request announces and records it again.
   */
  static Response unavailable(RuntimeException cause) {
    String reason =
        cause instanceof org.strata.audit.AuditUnavailableException
            ? cause.getMessage()
            : "Kafka did not acknowledge the change; repeat the request";
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header("Retry-After", "5")
        .entity(Map.of("status", 503, "reason", reason))
        .build();
  }
}
