package org.strata.tiering.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.tiering.repository.RetentionRepository;
import org.strata.tiering.service.RetentionPurge;

/** Retention: the rules, a dry run, an evaluation now, and the purges' progress. */
@Path("/admin/retention")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: retention")
@RolesAllowed(Roles.ADMIN)
public class RetentionResource {
  private static final int LATEST_PURGES = 100;
  private static final int DRY_RUN_STUDIES = 1000;

  private final RetentionPurge purge;
  private final RetentionRepository repository;
  private final CurrentCaller caller;

  public RetentionResource(
      RetentionPurge purge, RetentionRepository repository, CurrentCaller caller) {
    this.caller = caller;
    this.purge = purge;
    this.repository = repository;
  }

  @GET
  @Path("/rules")
  @Operation(summary = "The retention rules, as the policies file has them")
  @APIResponse(responseCode = "200", description = "One rule per tenant at most")
  public List<Map<String, Object>> rules() {
    return purge.rules().stream()
        .map(
            r -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", r.name());
              m.put("tenant", r.tenant());
              m.put("yearsAfterStudy", r.yearsAfterStudy());
              m.put("untilAge", r.untilAge());
              return m;
            })
        .toList();
  }

  @POST
  @Path("/evaluations")
  @Operation(summary = "Compute every study's expiry now and journal the purges due")
  @APIResponse(responseCode = "200", description = "Expiries computed and purges planned")
  public Map<String, Object> evaluate() throws SQLException {
    RetentionPurge.Evaluation e = purge.evaluate();
    return Map.of("expiries", e.expiries(), "planned", e.planned());
  }

  @GET
  @Path("/dry-run")
  @Operation(
      summary =
          "What the tenant's retention rule would purge now (studies, instances, bytes), purging"
              + " nothing; the tenant is the token's")
  @APIResponse(responseCode = "200", description = "The studies due, with totals and bytes by tier")
  @APIResponse(
      responseCode = "400",
      description = "tenant malformed, or required: the token holds several tenants")
  @APIResponse(responseCode = "403", description = "The caller does not administer the tenant")
  public Response dryRun(@QueryParam("tenant") String tenant) throws SQLException {
    String chosen = tenant;
    if (chosen == null) {
      Set<String> held = caller.get().tenants();
      if (caller.isLocalUser()) {
        return Errors.of(Response.Status.BAD_REQUEST, "tenant: required for the local user");
      }
      if (held.size() != 1) {
        return Errors.of(Response.Status.BAD_REQUEST, "tenant: the token names none or several");
      }
      chosen = held.iterator().next();
    }
    if (!TenantId.isValid(chosen)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed tenant");
    }
    chosen = TenantId.parse(chosen).value();
    if (!caller.mayAdminister(chosen)) {
      return Errors.of(Response.Status.FORBIDDEN, "the token does not administer that tenant");
    }
    return Response.ok(purge.dryRun(chosen, DRY_RUN_STUDIES)).build();
  }

  @GET
  @Path("/purges")
  @Operation(summary = "The purges by state, and the latest 100 (state, reason, objects removed)")
  @APIResponse(responseCode = "200", description = "The purges' progress")
  public Map<String, Object> purges() throws SQLException {
    return repository.progress(LATEST_PURGES);
  }
}
