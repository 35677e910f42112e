package org.strata.routing.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.routing.service.RuleMatches;

/** The rules that never fire, reported (a path of its own: any name may be a rule id). */
@Path("/admin/rule-matches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rules", description = "Routing rules (the rules file)")
@RolesAllowed(Roles.ADMIN)
public class RuleMatchesResource {
  private final RuleMatches matches;

  public RuleMatchesResource(RuleMatches matches) {
    this.matches = matches;
  }

  @GET
  @Operation(
      summary = "How often each rule matched, and the rules that did not for a week",
      description =
          "Every rule in force with its matches (kept in routing.rule_match across restarts), the"
              + " time of its last one and when routing first had it in force; neverMatched lists"
              + " the enabled rules first seen before since (now less"
              + " strata.routing.never-matched-after, default 7 days) that matched nothing after"
              + " it.")
  @APIResponse(
      responseCode = "200",
      description = "the figures",
      content = @Content(schema = @Schema(implementation = RuleMatches.Report.class)))
  @APIResponse(responseCode = "503", description = "routing.rule_match could not be read")
  public Response report() {
    try {
      return Response.ok(matches.report()).build();
    } catch (RuleMatches.Unavailable e) {
      return Errors.of(503, "rule matches unavailable");
    }
  }
}
