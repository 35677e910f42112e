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
import org.strata.servicekit.security.CurrentCaller;
import org.strata.tiering.service.LifecyclePolicy;
import org.strata.tiering.service.PolicyEvaluator;
import org.strata.tiering.service.PolicyFile;

/**
 * The lifecycle policies in force that the caller administers: list, dry-run, evaluate now. A token
 * sees and evaluates the policies of the tenants it holds whole; a policy of no tenant (it selects
 * in every tenant) is the local user's, as every other action on all tenants at once. A tenant's
 * policies are changed under {@code /admin/tenants/{tenant}/policies} (TenantPolicyResource).
 */
@Path("/admin/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: lifecycle policies")
@RolesAllowed(Roles.ADMIN)
public class PolicyResource {
  private final PolicyEvaluator evaluator;
  private final PolicyPreviews previews;
  private final CurrentCaller caller;

  public PolicyResource(PolicyEvaluator evaluator, PolicyPreviews previews, CurrentCaller caller) {
    this.evaluator = evaluator;
    this.previews = previews;
    this.caller = caller;
  }

  @GET
  @Operation(summary = "The lifecycle policies in force that the caller administers, with versions")
  @APIResponse(responseCode = "200", description = "Every policy, enabled or not")
  public List<Map<String, Object>> policies() {
    return evaluator.policies().stream()
        .filter(this::administered)
        .map(PolicyFile::describe)
        .toList();
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
    return evaluator.dryRun(this::administered).stream().map(previews::describe).toList();
  }

  @POST
  @Path("/evaluations")
  @Operation(
      summary =
          "Evaluate the enabled policies the caller administers now: their moves are planned and"
              + " journaled")
  @APIResponse(responseCode = "200", description = "The number of moves planned")
  public Map<String, Object> evaluate() throws SQLException {
    return Map.of("planned", evaluator.apply(this::administered));
  }

  private boolean administered(LifecyclePolicy policy) {
    return policy.tenant() == null
        ? caller.mayAdministerAll()
        : caller.mayAdminister(policy.tenant());
  }
}
