package org.strata.tiering.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.tiering.repository.RetentionRepository;
import org.strata.tiering.service.RetentionPurge;

/** Retention: the rules, an evaluation now, and the purges' progress. */
@Path("/admin/retention")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: retention")
@RolesAllowed(Roles.ADMIN)
public class RetentionResource {
  private static final int LATEST_PURGES = 100;

  private final RetentionPurge purge;
  private final RetentionRepository repository;

  public RetentionResource(RetentionPurge purge, RetentionRepository repository) {
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
  @Path("/purges")
  @Operation(summary = "The purges by state, and the latest 100 (state, reason, objects removed)")
  @APIResponse(responseCode = "200", description = "The purges' progress")
  public Map<String, Object> purges() throws SQLException {
    return repository.progress(LATEST_PURGES);
  }
}
