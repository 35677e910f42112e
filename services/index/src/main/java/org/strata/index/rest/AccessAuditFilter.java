package org.strata.index.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.Audited;
import org.strata.audit.AuditedLookup;
import org.strata.events.AuditRecord.Outcome;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Records every call of an {@link Audited} admin resource once, after it answered: who (the {@link
 * CurrentCaller}), the tenant and study of the path, the outcome (from the status). When the record
 * cannot be kept and the policy is fail-closed the answer becomes 503 with the reason (ADR 0035);
 * the change itself is made by then, which is why a client retries it (deletes, links and rebuilds
 * are idempotent). 401 and 403 are recorded by {@code security/SecurityAudit}.
 */
public class AccessAuditFilter {
  private final Provider<AuditLog> log;
  private final CurrentCaller caller;
  private final AuditedPatients patients;

  public AccessAuditFilter(Provider<AuditLog> log, CurrentCaller caller, AuditedPatients patients) {
    this.log = log;
    this.caller = caller;
    this.patients = patients;
  }

  @ServerResponseFilter
  public void record(
      ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
    Audited audited = audited(resource);
    int status = response.getStatus();
    if (audited == null || status == 401 || status == 403 || !log.get().isEnabled()) {
      return;
    }
    AuditEntry entry = audited.kind().entry(caller.get(), audited.channel());
    var path = request.getUriInfo().getPathParameters();
    String tenant = path.getFirst("tenant");
    if (tenant == null) {
      tenant = request.getUriInfo().getQueryParameters().getFirst("tenant");
    }
    if (tenant != null && !tenant.isEmpty()) {
      entry.tenant(tenant.toLowerCase(java.util.Locale.ROOT));
    }
    String study = path.getFirst(audited.studyParam());
    if (study != null && !study.isEmpty()) {
      entry.study(study);
    }
    patients.addTo(entry);
    if (status >= 500) {
      entry.outcome(Outcome.SERIOUS_FAILURE, "HTTP " + status);
    } else if (status >= 400) {
      entry.outcome(Outcome.MINOR_FAILURE, "HTTP " + status);
    }
    try {
      log.get().record(entry);
    } catch (AuditUnavailableException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException) {
        return; // a malformed tenant or study in the path: answered 400/404 already, nothing read
      }
      response.setEntity(
          Map.of("status", 503, "reason", AuditUnavailableException.REASON),
          null,
          MediaType.APPLICATION_JSON_TYPE);
      response.setStatus(503);
    }
  }

  private static Audited audited(ResourceInfo resource) {
    return resource == null
        ? null
        : AuditedLookup.of(resource.getResourceMethod(), resource.getResourceClass());
  }
}
