package org.strata.routing.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.strata.events.RoutingJob;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.ids.Uid;
import org.strata.routing.messaging.JobPublisher.PublishException;
import org.strata.routing.service.ManualExports;
import org.strata.routing.service.RoutingRules;
import org.strata.servicekit.security.CurrentCaller;

/** Manual exports: a study or series of the tenant sent to a destination now. */
@Path("/admin/tenants/{tenant}/exports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "exports", description = "Manual exports")
@RolesAllowed(Roles.ADMIN)
public class ExportsResource {
  private static final Logger LOG = Logger.getLogger(ExportsResource.class);

  private final ManualExports exports;
  private final RoutingRules rules;
  private final CurrentCaller caller;

  public ExportsResource(ManualExports exports, RoutingRules rules, CurrentCaller caller) {
    this.exports = exports;
    this.rules = rules;
    this.caller = caller;
  }

  /**
   * What to send: a study, one series of it, or a list of its instances (at most {@link
   * ManualExports#MAX_INSTANCES}), to a destination of the rules file.
   */
  public record ExportRequest(
      String destination,
      String studyInstanceUid,
      String seriesInstanceUid,
      List<String> sopInstanceUids,
      String priority) {}

  /** The queued export: its jobs (one unless the study is larger than a job may be). */
  public record Queued(String jobId, List<String> jobIds, int instances) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Export a study, a series or a list of instances to a destination now",
      description =
          "Reads the study (one series, or the listed instances of it: sopInstanceUids) from the"
              + " index and queues it for the destination on the"
              + " same queues as the rules' jobs (priority ROUTINE unless STAT). The job's status is"
              + " at /admin/jobs/{jobId}; when it ends, an Export audit record names the caller.")
  @APIResponse(responseCode = "202", description = "queued: the job ids")
  @APIResponse(responseCode = "400", description = "a malformed field or an unknown destination")
  @APIResponse(
      responseCode = "404",
      description =
          "the tenant has no such study or series, a listed instance is not in it (or the caller"
              + " does not hold it)")
  @APIResponse(responseCode = "503", description = "the index or the queue is not reachable")
  public Response export(@PathParam("tenant") String tenant, ExportRequest request) {
    if (!TenantId.isValid(tenant)) {
      return Errors.of(400, "malformed tenant");
    }
    tenant = TenantId.parse(tenant).value();
    if (request == null) {
      return Errors.of(400, "a JSON body is required");
    }
    if (request.destination() == null || rules.book().destination(request.destination()) == null) {
      return Errors.of(400, "destination is not a listed destination");
    }
    if (!Uid.isValid(request.studyInstanceUid())) {
      return Errors.of(400, "studyInstanceUid: not a UID");
    }
    if (request.seriesInstanceUid() != null && !Uid.isValid(request.seriesInstanceUid())) {
      return Errors.of(400, "seriesInstanceUid: not a UID");
    }
    List<String> listed = request.sopInstanceUids();
    if (listed != null) {
      if (listed.isEmpty() || listed.size() > ManualExports.MAX_INSTANCES) {
        return Errors.of(
            400, "sopInstanceUids: 1 to " + ManualExports.MAX_INSTANCES + " UIDs, or absent");
      }
      if (!listed.stream().allMatch(Uid::isValid)) {
        return Errors.of(400, "sopInstanceUids: not a list of UIDs");
      }
      listed = List.copyOf(new java.util.LinkedHashSet<>(listed));
    }
    RoutingJob.Priority priority;
    try {
      priority =
          request.priority() == null
              ? RoutingJob.Priority.ROUTINE
              : RoutingJob.Priority.valueOf(request.priority());
    } catch (IllegalArgumentException e) {
      return Errors.of(400, "priority: STAT or ROUTINE");
    }
    if (!caller.mayAdminister(tenant)) {
      // as for a study the tenant does not have: a token learns nothing of other tenants
      return Errors.of(404, "no such study or series");
    }
    try {
      List<RoutingJob> jobs =
          exports.export(
              new ManualExports.Request(
                  tenant,
                  request.studyInstanceUid(),
                  request.seriesInstanceUid(),
                  listed,
                  request.destination(),
                  priority,
                  caller.get().subject()));
      if (jobs.isEmpty()) {
        return Errors.of(404, "no such study or series");
      }
      List<String> ids = jobs.stream().map(RoutingJob::jobId).toList();
      int instances = jobs.stream().mapToInt(j -> j.instances().size()).sum();
      return Response.accepted(new Queued(ids.get(0), ids, instances)).build();
    } catch (ManualExports.NotAllFound e) {
      return Errors.of(404, e.getMessage());
    } catch (ManualExports.TooLarge e) {
      return Errors.of(400, e.getMessage());
    } catch (SQLException e) {
      LOG.warnf("manual export: index not readable (%s)", e.getSQLState());
      return Errors.of(503, "the index is not reachable");
    } catch (PublishException e) {
      return Errors.of(503, "the queue did not accept the job");
    }
  }
}
