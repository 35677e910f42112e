package org.strata.ingest.rest;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.RefusalAlerts;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.servicekit.audit.AuditedCalls;
import org.strata.servicekit.rest.ErrorResponse;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Records each STOW-RS request: one record per study stored, with its instances per SOP class (from
 * what {@link StowResource} noted in {@link AuditedStore}); a request that stored nothing is one
 * record with its outcome. A full spool refuses the request before its body is read (503), so no
 * instance is kept without its record (ADR 0035).
 */
public class StowAuditFilter {
  private final Provider<AuditLog> log;
  private final CurrentCaller caller;
  private final AuditedStore store;
  private final Provider<RefusalAlerts> alerts;

  public StowAuditFilter(
      Provider<AuditLog> log,
      CurrentCaller caller,
      AuditedStore store,
      Provider<RefusalAlerts> alerts) {
    this.log = log;
    this.caller = caller;
    this.store = store;
    this.alerts = alerts;
  }

  @ServerRequestFilter
  public Response admit(ResourceInfo resource) {
    if (!isStow(resource) || log.get().hasRoom()) {
      return null;
    }
    return ErrorResponse.of(503, AuditUnavailableException.REASON);
  }

  @ServerResponseFilter
  public void record(
      ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
    int status = response.getStatus();
    if (isStow(resource) && store.wasScopeRefused() && log.get().isEnabled()) {
      // The endpoint's own 403 (a role's 403 is security/SecurityAudit's): a security alert.
      alerts.get().scopeRefused(caller.get(), Channels.STOW_RS, "tenant not held");
      return;
    }
    if (!isStow(resource) || status == 401 || status == 403 || !log.get().isEnabled()) {
      return;
    }
    String tenant = store.tenant();
    List<AuditEntry> entries =
        StoreAudit.perStudy(caller.get(), Channels.STOW_RS, tenant, store.results());
    if (entries.isEmpty()) {
      entries = List.of(AuditEntry.store(caller.get(), Channels.STOW_RS).tenant(tenant));
    }
    if (status >= 400) {
      Outcome outcome = status >= 500 ? Outcome.SERIOUS_FAILURE : Outcome.MINOR_FAILURE;
      entries.forEach(e -> e.outcome(outcome, "HTTP " + status));
    } else if (status == 202) {
      entries.forEach(e -> e.outcome(Outcome.MINOR_FAILURE, "some instances not stored"));
    }
    try {
      log.get().record(entries);
    } catch (AuditUnavailableException e) {
      // Filled up while this request stored: the instances are kept, so answer what a client
      // retries (the retry's duplicates are recognised and recorded).
      AuditedCalls.refuse(response, AuditUnavailableException.REASON);
    }
  }

  private static boolean isStow(ResourceInfo resource) {
    return resource != null && resource.getResourceClass() == StowResource.class;
  }
}
