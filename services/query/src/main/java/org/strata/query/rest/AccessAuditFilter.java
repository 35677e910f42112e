package org.strata.query.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.strata.audit.AccessKind;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.Audited;
import org.strata.servicekit.audit.AuditedCalls;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Records every call of an {@link Audited} resource once, after the endpoint answered and before
 * the body is written: who (the {@link CurrentCaller}), what (the study of the path, the results
 * the endpoint noted in {@link AuditedAccess}, the query keys), the outcome (from the status). When
 * the record cannot be kept and the policy is fail-closed, the answer becomes 503 with the reason,
 * so no data leaves without its record (ADR 0035). 401 and 403 are recorded by {@code
 * SecurityAudit}.
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
    Audited audited = AuditedCalls.recorded(resource, response);
    if (audited == null || !log.get().isEnabled()) {
      return;
    }
    // The tenant is the caller's (from its token's strata_groups); a caller of several tenants
    // gets the log's default (AuditEntry.tenant): the studies named in the record say whose.
    AuditEntry entry = AuditedCalls.entry(audited, caller.get(), response.getStatus());
    String study = AuditedCalls.param(request, audited.studyParam());
    if (study != null && !study.isEmpty()) {
      entry.study(study);
    }
    if (audited.kind() == AccessKind.QUERY) {
      entry.query(request.getUriInfo().getRequestUri().getRawQuery());
    }
    access.addTo(entry);
    try {
      log.get().record(entry);
    } catch (AuditUnavailableException e) {
      AuditedCalls.refuse(response, AuditUnavailableException.REASON);
    }
  }
}
