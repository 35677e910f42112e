package org.strata.index.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.ArrayList;
import java.util.List;
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
 * CurrentCaller}), the tenant and study of the path, the patients, the outcome (from the status).
 * When the record cannot be kept and the policy is fail-closed the answer becomes 503 with the
 * reason (ADR 0035); the change itself is made by then, which is why a client retries it (deletes,
 * links and rebuilds are idempotent). 401 and 403 are recorded by {@code SecurityAudit}.
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
    String tenant = AuditedCalls.param(request, "tenant");
    String study = request.getUriInfo().getPathParameters().getFirst(audited.studyParam());
    List<AuditEntry> entries = new ArrayList<>();
    if (tenant != null && !tenant.isEmpty()) {
      // One record per tenant whose patients were touched (a link across tenants), each naming
      // that tenant's patients: every tenant's auditor sees it, none sees another's patients.
      patients
          .byTenant(tenant.toLowerCase(Locale.ROOT))
          .forEach(
              (t, named) -> {
                AuditEntry entry = entry(audited, response, study).tenant(t);
                named.forEach(p -> entry.patient(p[0], p[1]));
                entries.add(entry);
              });
    } else {
      AuditEntry entry = entry(audited, response, study);
      patients.addTo(entry);
      entries.add(entry);
    }
    try {
      for (AuditEntry entry : entries) {
        log.get().record(entry);
      }
    } catch (IllegalArgumentException e) {
      // a malformed tenant or study in the path: answered 400/404 already, nothing was read
    } catch (AuditUnavailableException e) {
      AuditedCalls.refuse(response, AuditUnavailableException.REASON);
    }
  }

  private AuditEntry entry(Audited audited, ContainerResponseContext response, String study) {
    AuditEntry entry = AuditedCalls.entry(audited, caller.get(), response.getStatus());
    if (study != null && !study.isEmpty()) {
      entry.study(study);
    }
    return entry;
  }
}
