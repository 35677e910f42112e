package org.strata.routing.rest;

import jakarta.ws.rs.core.Response;
import org.strata.routing.service.RulesReadOnlyException;
import org.strata.servicekit.rest.ErrorResponse;

/**
 * Client faults as {@code {"status", "reason"}} ({@link ErrorResponse}); the reason names the
 * field, never PHI.
 */
final class Errors {
  private Errors() {}

  /** A change of the rules file. */
  interface RulesChange {
    void apply() throws java.io.IOException;
  }

  /**
   * Runs {@code change} and answers {@code ok}; an invalid change is a 400 with its reason, rules
   * managed by the deployment a 409, a file that cannot be written a 503.
   */
  static Response change(RulesChange change, Object ok) {
    try {
      change.apply();
    } catch (RulesReadOnlyException e) {
      return readOnly(e);
    } catch (IllegalArgumentException e) {
      return of(400, e.getMessage());
    } catch (java.io.IOException e) {
      return of(503, "the rules file could not be written");
    }
    return Response.ok(ok).build();
  }

  static Response readOnly(RulesReadOnlyException e) {
    return of(409, e.getMessage());
  }

  static Response of(int status, String reason) {
    return ErrorResponse.of(status, reason);
  }
}
