package org.strata.tiering.rest;

import jakarta.ws.rs.core.Response;
import org.strata.servicekit.rest.ErrorResponse;

/** Client faults as {@code {"status", "reason"}}; the reason names the parameter, never a value. */
final class Errors {
  private Errors() {}

  static Response of(Response.Status status, String reason) {
    return ErrorResponse.of(status.getStatusCode(), reason);
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
    return ErrorResponse.builder(503, reason).header("Retry-After", "5").build();
  }
}
