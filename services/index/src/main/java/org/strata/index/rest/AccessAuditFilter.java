package org.strata.index.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.Audited;
import org.strata.servicekit.audit.AuditedCalls;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Records every call of an {@link Audited} admin resource once, after it answered: who (the {@link
 * CurrentCaller}), the tenant and study of the path, the outcome (from the status). When the record
 * cannot be kept and the policy is fail-closed the answer becomes 503 with the reason (ADR 0035);
 * the change itself is made by then, which is why a client retries it (deletes, links and rebuilds
 * are idempotent). 401 and 403 are recorded by {@code SecurityAudit}.
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
    Audited audited = AuditedCalls.recorded(resource, response);
    if (audited == null || !log.get().isEnabled()) {
      return;
    }
    AuditEntry entry = AuditedCalls.entry(audited, caller.get(), response.getStatus());
    String tenant = AuditedCalls.param(request, "tenant");
    if (tenant != null && !tenant.isEmpty()) {
      entry.tenant(tenant.toLowerCase(Locale.ROOT));
    }
    String study = request.getUriInfo().getPathParameters().getFirst(audited.studyParam());
    if (study != null && !study.isEmpty()) {
      entry.study(study);
    }
    patients.addTo(entry);
    try {
      log.get().record(entry);
    } catch (IllegalArgumentException e) {
      // a malformed tenant or study in the path: answered 400/404 already, nothing was read
    } catch (AuditUnavailableException e) {
      AuditedCalls.refuse(response, AuditUnavailableException.REASON);
    }
  }
}
