package org.strata.index.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    var path = request.getUriInfo().getPathParameters();
    String tenant = path.getFirst("tenant");
    if (tenant == null) {
      tenant = request.getUriInfo().getQueryParameters().getFirst("tenant");
    }
    String study = path.getFirst(audited.studyParam());
    List<AuditEntry> entries = new ArrayList<>();
    if (tenant != null && !tenant.isEmpty()) {
      // One record per tenant whose patients were touched (a link across tenants), each naming
      // that tenant's patients: every tenant's auditor sees it, none sees another's patients.
      patients
          .byTenant(tenant.toLowerCase(Locale.ROOT))
          .forEach(
              (t, named) -> {
                AuditEntry entry = entry(audited, status, study).tenant(t);
                named.forEach(p -> entry.patient(p[0], p[1]));
                entries.add(entry);
              });
    } else {
      AuditEntry entry = entry(audited, status, study);
      patients.addTo(entry);
      entries.add(entry);
    }
    try {
      for (AuditEntry entry : entries) {
        log.get().record(entry);
      }
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

  private AuditEntry entry(Audited audited, int status, String study) {
    AuditEntry entry = audited.kind().entry(caller.get(), audited.channel());
    if (study != null && !study.isEmpty()) {
      entry.study(study);
    }
    if (status >= 500) {
      entry.outcome(Outcome.SERIOUS_FAILURE, "HTTP " + status);
    } else if (status >= 400) {
      entry.outcome(Outcome.MINOR_FAILURE, "HTTP " + status);
    }
    return entry;
  }

  private static Audited audited(ResourceInfo resource) {
    return resource == null
        ? null
        : AuditedLookup.of(resource.getResourceMethod(), resource.getResourceClass());
  }
}
