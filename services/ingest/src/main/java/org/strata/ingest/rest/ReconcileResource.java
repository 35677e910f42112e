package org.strata.ingest.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.http.auth.Roles;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.service.OrphanReconciler;
import org.strata.servicekit.security.CurrentCaller;

/** Runs the orphan reconciler on demand (ADR 0011), e.g. after an incident. */
@Path("/admin/reconcile")
@Tag(name = "Admin")
@RolesAllowed(Roles.ADMIN)
public class ReconcileResource {
  private final OrphanReconciler reconciler;
  private final IngestConfig config;
  private final AuditLog log;
  private final CurrentCaller caller;

  public ReconcileResource(
      OrphanReconciler reconciler, IngestConfig config, AuditLog log, CurrentCaller caller) {
    this.reconciler = reconciler;
    this.config = config;
    this.log = log;
    this.caller = caller;
  }

  @POST
  @Blocking
  @Produces("application/json")
  @Operation(summary = "Publish the events of objects stored without one; remove upload leftovers")
  @APIResponse(responseCode = "200", description = "The run's report")
  @APIResponse(responseCode = "400", description = "A duration is not ISO-8601")
  @APIResponse(responseCode = "409", description = "A run is already in progress")
  @APIResponse(responseCode = "503", description = "Object storage or Kafka unavailable")
  public Response reconcile(
      @Parameter(description = "ISO-8601, e.g. PT15M: skip objects younger than this")
          @QueryParam("grace")
          String grace,
      @Parameter(description = "ISO-8601, e.g. PT6H: how far back to look") @QueryParam("window")
          String window) {
    AuditEntry entry = AuditEntry.reconcile(caller.get(), Channels.ADMIN_API);
    Response answer = run(grace, window, entry);
    if (answer.getStatus() >= 400) {
      entry.outcome(
          answer.getStatus() >= 500 ? Outcome.SERIOUS_FAILURE : Outcome.MINOR_FAILURE,
          "HTTP " + answer.getStatus());
    }
    try {
      // After the run, as other admin changes (ADR 0035): a full spool turns the answer into 503.
      log.record(entry);
    } catch (AuditUnavailableException e) {
      return StowResource.error(503, AuditUnavailableException.REASON);
    }
    return answer;
  }

  private Response run(String grace, String window, AuditEntry entry) {
    Duration g, w;
    try {
      g = grace == null ? config.reconciler().grace() : Duration.parse(grace);
      w = window == null ? config.reconciler().window() : Duration.parse(window);
    } catch (DateTimeParseException e) {
      return StowResource.error(400, "grace and window are ISO-8601 durations such as PT15M");
    }
    if (g.isNegative() || w.isNegative() || w.compareTo(g) <= 0) {
      return StowResource.error(400, "window must be longer than grace, both positive");
    }
    try {
      OrphanReconciler.Report report = reconciler.reconcile(g, w);
      entry.detail(report.auditDetail());
      return Response.ok(report).build();
    } catch (IllegalStateException e) {
      boolean busy = e instanceof OrphanReconciler.AlreadyRunning;
      return StowResource.error(busy ? 409 : 503, e.getMessage());
    } catch (RuntimeException e) {
      return StowResource.error(503, "reconciler failed: " + e.getClass().getSimpleName());
    }
  }
}
