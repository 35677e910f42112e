package org.strata.index.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.index.service.RebuildService;
import org.strata.index.service.RebuildService.Job;
import org.strata.servicekit.rest.ErrorResponse;
import org.strata.servicekit.security.CurrentCaller;

/** Rebuilding the index from the metadata sidecars in S3, and its progress. */
@Path("/admin/rebuilds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rebuild", description = "Rebuild the index from the metadata sidecars in S3")
@RolesAllowed(Roles.ADMIN)
@Audited(kind = AccessKind.REBUILD, channel = Channels.ADMIN_API)
public class RebuildResource {

  private final RebuildService rebuilds;
  @jakarta.inject.Inject CurrentCaller caller;

  public RebuildResource(RebuildService rebuilds) {
    this.rebuilds = rebuilds;
  }

  /** What GET answers: the job and its counters. */
  public record Status(
      String id,
      String tenant,
      String state,
      long objectsScanned,
      long sidecars,
      long indexed,
      long failed,
      Instant startedAt,
      Instant finishedAt,
      String error) {
    static Status of(Job j) {
      return new Status(
          j.id,
          j.tenant,
          j.state,
          j.objectsScanned.get(),
          j.sidecars.get(),
          j.indexed.get(),
          j.failed.get(),
          j.startedAt,
          j.finishedAt,
          j.error);
    }
  }

  @POST
  @Operation(
      summary = "Start a rebuild",
      description =
          "Re-applies every metadata sidecar of the tenant (all tenants without the parameter) to"
              + " the index, idempotently. Answers at once; follow the job at Location.")
  @APIResponse(responseCode = "202", description = "started; the job's status")
  @APIResponse(responseCode = "400", description = "malformed tenant")
  public Response start(
      @Parameter(description = "tenant to rebuild; all when absent") @QueryParam("tenant")
          String tenant) {
    if (tenant != null && !TenantId.isValid(tenant)) {
      return ErrorResponse.of(400, "malformed tenant");
    }
    String only = tenant == null ? null : TenantId.parse(tenant).value();
    // A token rebuilds only a tenant it holds whole; every tenant at once is the local user's.
    if (only == null ? !caller.mayAdministerAll() : !caller.mayAdminister(only)) {
      return only == null
          ? ErrorResponse.of(
              400, "name the tenant to rebuild (?tenant=): a token rebuilds only its own")
          : ErrorResponse.of(404, "no such tenant");
    }
    Job job = rebuilds.start(only);
    return Response.accepted(Status.of(job))
        .location(URI.create("/admin/rebuilds/" + job.id))
        .build();
  }

  @GET
  @Path("/{id}")
  @Audited.Not
  @Operation(summary = "A rebuild's progress: objects scanned, sidecars, indexed, failed, state")
  @APIResponse(responseCode = "200", description = "the job (state RUNNING, DONE or FAILED)")
  @APIResponse(responseCode = "404", description = "no such job")
  public Response status(@PathParam("id") String id) {
    return rebuilds
        .job(id)
        .filter(j -> j.tenant == null ? caller.mayAdministerAll() : caller.mayAdminister(j.tenant))
        .map(j -> Response.ok(Status.of(j)).build())
        .orElse(ErrorResponse.of(404, "no such rebuild"));
  }
}
