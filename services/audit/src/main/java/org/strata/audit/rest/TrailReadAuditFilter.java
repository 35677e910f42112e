package org.strata.audit.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.strata.audit.AuditEntry;
import org.strata.audit.Audited;
import org.strata.audit.service.TrailReadRecorder;
import org.strata.servicekit.audit.AuditedCalls;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Records every call of an {@link Audited} resource of the audit API (reads of the trail: DICOM
 * Audit Log Used) after the endpoint answered and before the body is written: who, the endpoint,
 * the query as asked (the patient, study or agent looked for), the outcome from the status (ADR
 * 0047). The patients asked for stay in the query and out of the record's patients: those name
 * whose data was accessed, and a patient's access report would otherwise list every earlier report
 * on the patient. A record that cannot be appended turns the answer into 503: no part of the trail
 * leaves unrecorded. 401 and 403 answers read nothing and are not recorded here.
 */
public class TrailReadAuditFilter {
  private static final Logger LOG = Logger.getLogger(TrailReadAuditFilter.class);

  private final TrailReadRecorder recorder;
  private final CurrentCaller caller;

  public TrailReadAuditFilter(TrailReadRecorder recorder, CurrentCaller caller) {
    this.recorder = recorder;
    this.caller = caller;
  }

  @ServerResponseFilter
  public void record(
      ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
    Audited audited = AuditedCalls.recorded(resource, response);
    if (audited == null) {
      return;
    }
    AuditEntry entry = AuditedCalls.entry(audited, caller.get(), response.getStatus());
    entry.detail(request.getUriInfo().getPath());
    entry.query(request.getUriInfo().getRequestUri().getRawQuery());
    try {
      recorder.record(entry);
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("a read of the audit trail could not be recorded: %s", e.getClass().getName());
      AuditedCalls.refuse(response, "the read of the audit trail cannot be recorded");
    }
  }
}
