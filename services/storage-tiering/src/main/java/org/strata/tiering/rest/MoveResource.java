package org.strata.tiering.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.ids.Uid;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.tiering.repository.MoveJob;
import org.strata.tiering.repository.MoveJobRepository;
import org.strata.tiering.service.MovePlanner;
import org.strata.tiering.service.MoveState;

/**
 * Moves of a study to another tier: planned and journaled here (202), carried out by the move
 * worker, followed with the request's id.
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: tier moves")
@RolesAllowed(Roles.ADMIN)
public class MoveResource {
  private final MovePlanner planner;
  private final MoveJobRepository jobs;
  private final TieredStorage storage;
  private final CurrentCaller caller;

  public MoveResource(
      MovePlanner planner, MoveJobRepository jobs, TieredStorage storage, CurrentCaller caller) {
    this.caller = caller;
    this.planner = planner;
    this.jobs = jobs;
    this.storage = storage;
  }

  @POST
  @Path("/tenants/{tenant}/studies/{study}/moves")
  @Operation(summary = "Move a study's objects to a tier")
  @APIResponse(responseCode = "202", description = "The moves are journaled; follow the request")
  @APIResponse(
      responseCode = "400",
      description = "The tenant, UID or tier is malformed or unknown")
  @APIResponse(responseCode = "404", description = "The index has no such study")
  public Response moveStudy(
      @PathParam("tenant") String tenant,
      @PathParam("study") String study,
      @QueryParam("tier") String tier)
      throws SQLException {
    if (!TenantId.isValid(tenant)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed tenant");
    }
    if (!Uid.isValid(study)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed study UID");
    }
    Optional<Tier> target = storage.tiers().named(tier);
    if (target.isEmpty()) {
      return Errors.of(Response.Status.BAD_REQUEST, "tier: not a configured tier");
    }
    Optional<MovePlanner.Plan> plan =
        planner.planStudy(
            TenantId.parse(tenant).value(), study, target.get(), caller.get(), Channels.ADMIN_API);
    if (plan.isEmpty()) {
      return Errors.of(Response.Status.NOT_FOUND, "the tenant has no such study");
    }
    MovePlanner.Plan p = plan.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("request", p.requestId().toString());
    body.put("tier", target.get().name());
    body.put("planned", p.planned());
    body.put("alreadyOnTier", p.alreadyOnTier());
    body.put("skipped", p.skipped());
    return Response.accepted(body).build();
  }

  @GET
  @Path("/moves/{request}")
  @Operation(summary = "The moves of one request, by state")
  @APIResponse(responseCode = "200", description = "Jobs by state, with the reasons of refusals")
  @APIResponse(responseCode = "400", description = "The request id is not a UUID")
  @APIResponse(responseCode = "404", description = "No such request")
  public Response request(@PathParam("request") String request) throws SQLException {
    UUID id;
    try {
      id = UUID.fromString(request);
    } catch (IllegalArgumentException e) {
      return Errors.of(Response.Status.BAD_REQUEST, "request: not a UUID");
    }
    List<MoveJob> list = jobs.ofRequest(id);
    if (list.isEmpty()) {
      return Errors.of(Response.Status.NOT_FOUND, "no such request");
    }
    Map<String, Long> byState = new LinkedHashMap<>();
    for (MoveState s : MoveState.values()) {
      long n = list.stream().filter(j -> j.state() == s).count();
      if (n > 0) {
        byState.put(s.name(), n);
      }
    }
    List<Map<String, String>> jobsOut =
        list.stream()
            .map(
                j -> {
                  Map<String, String> m = new LinkedHashMap<>();
                  m.put("id", j.id().toString());
                  m.put("state", j.state().name());
                  if (j.reason() != null) {
                    m.put("reason", j.reason());
                  }
                  return m;
                })
            .toList();
    return Response.ok(
            Map.of(
                "request",
                id.toString(),
                "states",
                byState,
                "finished",
                finished(list),
                "jobs",
                jobsOut))
        .build();
  }

  private static boolean finished(List<MoveJob> list) {
    return list.stream().allMatch(j -> j.state().finished());
  }
}
