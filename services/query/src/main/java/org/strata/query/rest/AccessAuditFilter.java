package org.strata.query.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.strata.audit.AccessKind;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.Audited;
import org.strata.audit.AuditedLookup;
import org.strata.events.AuditRecord.Outcome;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Records every call of an {@link Audited} resource once, after the endpoint answered and before
 * the body is written: who (the {@link CurrentCaller}), what (the study of the path, the results
 * the endpoint noted in {@link AuditedAccess}, the query keys), the outcome (from the status). When
 * the record cannot be kept and the policy is fail-closed, the answer becomes 503 with the reason,
 * so no data leaves without its record (ADR 0035). 401 and 403 are recorded by {@code
 * security/SecurityAudit}.
 */
public class AccessAuditFilter {
  private final Provider<AuditLog> log;
  private final CurrentCaller caller;
  private final AuditedAccess access;

  public AccessAuditFilter(Provider<AuditLog> log, CurrentCaller caller, AuditedAccess access) {
    this.log = log;
    this.caller = caller;
    this.access = access;
  }

  @ServerResponseFilter
  public void record(
      ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
    Audited audited = audited(resource);
    int status = response.getStatus();
    if (audited == null || status == 401 || status == 403 || !log.get().isEnabled()) {
      return;
    }
    // The tenant is the caller's (from its token's strata_groups); a caller of several tenants
    // gets the log's default (AuditEntry.tenant): the studies named in the record say whose.
    AuditEntry entry = audited.kind().entry(caller.get(), audited.channel());
    String study = request.getUriInfo().getPathParameters().getFirst(audited.studyParam());
    if (study == null) {
      study = request.getUriInfo().getQueryParameters().getFirst(audited.studyParam());
    }
    if (study != null && !study.isEmpty()) {
      entry.study(study);
    }
    if (audited.kind() == AccessKind.QUERY) {
      entry.query(request.getUriInfo().getRequestUri().getRawQuery());
    }
    access.addTo(entry);
    if (status >= 500) {
      entry.outcome(Outcome.SERIOUS_FAILURE, "HTTP " + status);
    } else if (status >= 400) {
      entry.outcome(Outcome.MINOR_FAILURE, "HTTP " + status);
    }
    try {
      log.get().record(entry);
    } catch (AuditUnavailableException e) {
      response.setStatus(503);
      response.setEntity(
          new QidoExceptionMapper.Problem(503, AuditUnavailableException.REASON),
          null,
          MediaType.APPLICATION_JSON_TYPE);
    }
  }

  private static Audited audited(ResourceInfo resource) {
    return resource == null
        ? null
        : AuditedLookup.of(resource.getResourceMethod(), resource.getResourceClass());
  }
}
