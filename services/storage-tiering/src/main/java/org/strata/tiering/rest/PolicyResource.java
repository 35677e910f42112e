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
import org.strata.tiering.service.LifecyclePolicy;
import org.strata.tiering.service.PolicyEvaluator;

/** The lifecycle policies of the policies file: list, dry-run, evaluate now. */
@Path("/admin/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: lifecycle policies")
@RolesAllowed(Roles.ADMIN)
public class PolicyResource {
  private final PolicyEvaluator evaluator;

  public PolicyResource(PolicyEvaluator evaluator) {
    this.evaluator = evaluator;
  }

  @GET
  @Operation(summary = "The lifecycle policies, as the policies file has them")
  @APIResponse(responseCode = "200", description = "Every policy, enabled or not")
  public List<Map<String, Object>> policies() {
    return evaluator.policies().stream().map(PolicyResource::describe).toList();
  }

  @GET
  @Path("/dry-run")
  @Operation(summary = "What each policy would move now, and the bytes per tier; moves nothing")
  @APIResponse(responseCode = "200", description = "Per policy: studies, instances, bytes by tier")
  public List<Map<String, Object>> dryRun() throws SQLException {
    return evaluator.dryRun().stream()
        .map(
            p -> {
              Map<String, Object> m = describe(p.policy());
              m.put("studyCount", p.studyCount());
              m.put("instances", p.instances());
              m.put("bytesByTier", p.bytesByTier());
              m.put("studies", p.studies());
              return m;
            })
        .toList();
  }

  @POST
  @Path("/evaluations")
  @Operation(summary = "Evaluate the enabled policies now: their moves are planned and journaled")
  @APIResponse(responseCode = "200", description = "The number of moves planned")
  public Map<String, Object> evaluate() throws SQLException {
    return Map.of("planned", evaluator.apply());
  }

  private static Map<String, Object> describe(LifecyclePolicy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("enabled", p.enabled());
    m.put("tenant", p.tenant());
    m.put("modality", p.modality());
    m.put("since", p.since().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    m.put("olderThan", p.olderThan().toString());
    m.put("toTier", p.toTier());
    return m;
  }
}
