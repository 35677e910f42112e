package org.strata.servicekit.audit;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import org.strata.audit.AuditEntry;
import org.strata.audit.Audited;
import org.strata.audit.AuditedLookup;
import org.strata.events.AuditRecord.Outcome;
import org.strata.http.auth.CallerIdentity;
import org.strata.servicekit.rest.ErrorResponse;

/**
 * What the response filters that record {@link Audited} resources share: which calls they record,
 * the entry's who and outcome, and the 503 that replaces an answer whose record cannot be kept (ADR
 * 0035). Each service's filter adds what only it knows (studies, patients, query keys).
 */
public final class AuditedCalls {
  private AuditedCalls() {}

  /**
   * The {@link Audited} annotation of the answered resource method, or null when the call is not
   * recorded by an audited-resource filter: not audited, or refused with 401 or 403 (those are
   * recorded by {@code SecurityAudit}, before any resource is reached).
   */
  public static Audited recorded(ResourceInfo resource, ContainerResponseContext response) {
    int status = response.getStatus();
    if (resource == null || status == 401 || status == 403) {
      return null;
    }
    return AuditedLookup.of(resource.getResourceMethod(), resource.getResourceClass());
  }

  /** The entry of an answered call: who, the channel, and the outcome from the HTTP status. */
  public static AuditEntry entry(Audited audited, CallerIdentity caller, int status) {
    AuditEntry entry = audited.kind().entry(caller, audited.channel());
    if (status >= 500) {
      entry.outcome(Outcome.SERIOUS_FAILURE, "HTTP " + status);
    } else if (status >= 400) {
      entry.outcome(Outcome.MINOR_FAILURE, "HTTP " + status);
    }
    return entry;
  }

  /** A parameter of the matched path, else of the query string; null when neither has it. */
  public static String param(ContainerRequestContext request, String name) {
    String value = request.getUriInfo().getPathParameters().getFirst(name);
    return value != null ? value : request.getUriInfo().getQueryParameters().getFirst(name);
  }

  /** Replaces the answer with 503 and {@code reason}: nothing leaves without its record. */
  public static void refuse(ContainerResponseContext response, String reason) {
    response.setStatus(503);
    response.setEntity(new ErrorResponse.Body(503, reason), null, MediaType.APPLICATION_JSON_TYPE);
  }
}
