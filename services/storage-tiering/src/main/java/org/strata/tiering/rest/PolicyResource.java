package org.strata.tiering.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.tiering.service.PolicyEvaluator;
import org.strata.tiering.service.PolicyFile;

/**
 * Every lifecycle policy in force (of every tenant and of none): list, dry-run, evaluate now. A
 * tenant's policies are changed under {@code /admin/tenants/{tenant}/policies}
 * (TenantPolicyResource).
 */
@Path("/admin/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: lifecycle policies")
@RolesAllowed(Roles.ADMIN)
public class PolicyResource {
  private final PolicyEvaluator evaluator;
  private final PolicyPreviews previews;

  public PolicyResource(PolicyEvaluator evaluator, PolicyPreviews previews) {
    this.evaluator = evaluator;
    this.previews = previews;
  }

  @GET
  @Operation(summary = "The lifecycle policies in force, each with its version")
  @APIResponse(responseCode = "200", description = "Every policy, enabled or not")
  public List<Map<String, Object>> policies() {
    return evaluator.policies().stream().map(PolicyFile::describe).toList();
  }

  @GET
  @Path("/dry-run")
  @Operation(
      summary =
          "What each policy would move now: objects and bytes per tier they leave and per target"
              + " tier, and their estimated monthly cost on each; moves nothing")
  @APIResponse(
      responseCode = "200",
      description = "Per policy: studies, instances, bytes and objects by tier, monthly cost")
  public List<Map<String, Object>> dryRun() throws SQLException {
    return evaluator.dryRun().stream().map(previews::describe).toList();
  }

  @POST
  @Path("/evaluations")
  @Operation(summary = "Evaluate the enabled policies now: their moves are planned and journaled")
  @APIResponse(responseCode = "200", description = "The number of moves planned")
  public Map<String, Object> evaluate() throws SQLException {
    return Map.of("planned", evaluator.apply());
  }
}
