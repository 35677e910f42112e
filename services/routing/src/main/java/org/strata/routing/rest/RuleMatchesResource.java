package org.strata.routing.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.routing.service.RoutingRules;
import org.strata.routing.service.RuleMatches;

/** The rules that never fire, reported (a path of its own: any name may be a rule id). */
@Path("/admin/rule-matches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rules", description = "Routing rules (the rules file)")
@RolesAllowed(Roles.ADMIN)
public class RuleMatchesResource {
  private final RoutingRules rules;
  private final RuleMatches matches;

  public RuleMatchesResource(RoutingRules rules, RuleMatches matches) {
    this.rules = rules;
    this.matches = matches;
  }

  @GET
  @Operation(
      summary = "How often each rule matched since routing started",
      description =
          "Every rule in force with its matches and the time of its last one; neverMatched lists"
              + " the enabled rules that matched nothing since the start.")
  @APIResponse(responseCode = "200", description = "the figures")
  public RuleMatches.Report report() {
    return matches.report(rules.book());
  }
}
