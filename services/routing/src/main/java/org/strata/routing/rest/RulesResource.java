package org.strata.routing.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.routing.service.DryRun;
import org.strata.routing.service.RecentInstances;
import org.strata.routing.service.RoutingRules;
import org.strata.routing.service.RuleBook;
import org.strata.routing.service.RulesDocument.Rule;
import org.strata.routing.service.RulesReadOnlyException;
import org.strata.servicekit.security.CurrentCaller;

/** The routing rules: list, add or change, enable and disable. Changes are written to the file. */
@Path("/admin/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rules", description = "Routing rules (the rules file)")
@RolesAllowed(Roles.ADMIN)
public class RulesResource {
  private final RoutingRules rules;
  private final DryRun dryRun;
  private final CurrentCaller caller;

  public RulesResource(RoutingRules rules, DryRun dryRun, CurrentCaller caller) {
    this.rules = rules;
    this.dryRun = dryRun;
    this.caller = caller;
  }

  @POST
  @Path("/dry-run")
  @Operation(
      summary = "What every rule would do with recently stored instances",
      description =
          "Evaluates every rule, enabled or not, against the newest instances routing has seen"
              + " (at most "
              + RecentInstances.CAPACITY
              + ", since it started), of one study if given; nothing is sent. A study none of"
              + " them belongs to is read from the index (at most last of its instances, of the"
              + " tenants the caller administers; callingAe and channel empty there), source"
              + " says which. Answers per study the rules that match, how many of its instances,"
              + " and their destinations.")
  @APIResponse(responseCode = "200", description = "the studies and their matching rules")
  @APIResponse(responseCode = "400", description = "bad last or study")
  @APIResponse(responseCode = "503", description = "the index could not be read")
  public Response dryRunAll(
      @QueryParam("last") @DefaultValue("100") String last, @QueryParam("study") String study) {
    return dryRun(last, study, id -> true);
  }

  @POST
  @Path("/{id}/dry-run")
  @Operation(
      summary = "What one rule would do with recently stored instances",
      description = "As POST /admin/rules/dry-run, for this rule only (enabled or not).")
  @APIResponse(responseCode = "200", description = "the studies the rule matches")
  @APIResponse(responseCode = "400", description = "bad last or study")
  @APIResponse(responseCode = "404", description = "no such rule")
  @APIResponse(responseCode = "503", description = "the index could not be read")
  public Response dryRunOne(
      @PathParam("id") String id,
      @QueryParam("last") @DefaultValue("100") String last,
      @QueryParam("study") String study) {
    if (rules.book().rules().stream().noneMatch(r -> r.rule().id().equals(id))) {
      return Errors.of(404, "no such rule");
    }
    return dryRun(last, study, id::equals);
  }

  private Response dryRun(String last, String study, java.util.function.Predicate<String> which) {
    int n;
    try {
      n = Integer.parseInt(last);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > RecentInstances.CAPACITY) {
      return Errors.of(400, "last: 1.." + RecentInstances.CAPACITY);
    }
    if (study != null && !org.strata.ids.Uid.isValid(study)) {
      return Errors.of(400, "study: not a UID");
    }
    // a study read from the index: only of the tenants the caller administers whole
    Set<String> tenants =
        caller.mayAdministerAll()
            ? null
            : caller.get().tenants().stream()
                .filter(caller::mayAdminister)
                .collect(Collectors.toSet());
    try {
      return Response.ok(dryRun.run(n, study, which, tenants)).build();
    } catch (SQLException e) {
      return Errors.of(503, "index unavailable");
    }
  }

  /** The rule list as GET answers it. */
  public record RuleList(Long revision, String fileError, List<Rule> rules) {}

  @GET
  @Operation(
      summary = "The rules in force",
      description = "With the file's revision, and why the file's last change was not taken.")
  @APIResponse(responseCode = "200", description = "the rules")
  public RuleList list() {
    RuleBook book = rules.book();
    return new RuleList(book.document().revision(), rules.lastError(), book.document().rules());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One rule")
  @APIResponse(responseCode = "200", description = "the rule")
  @APIResponse(responseCode = "404", description = "no such rule")
  public Response get(@PathParam("id") String id) {
    return rules.book().document().rules().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .map(r -> Response.ok(r).build())
        .orElse(Errors.of(404, "no such rule"));
  }

  @PUT
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Add or change a rule",
      description =
          "The rule's id is the path's. The predicate (when) is compiled as CEL and the destination"
              + " must exist; the rules file is rewritten and the rule applies to instances stored"
              + " from now on. deidentify: {options: [...]} sends de-identified (PS3.15 Basic"
              + " Profile) with the destination's deidentificationKey.")
  @APIResponse(responseCode = "200", description = "the rule as stored")
  @APIResponse(responseCode = "400", description = "invalid rule, with the reason")
  @APIResponse(responseCode = "409", description = "the rules are the deployment's (read-only)")
  @APIResponse(responseCode = "503", description = "the rules file could not be written")
  public Response put(@PathParam("id") String id, Rule rule) {
    if (rule == null) {
      return Errors.of(400, "body: a rule is required");
    }
    Rule named =
        new Rule(
            id,
            rule.enabled(),
            rule.description(),
            rule.when(),
            rule.trigger(),
            rule.quietPeriod(),
            rule.destination(),
            rule.priority(),
            rule.deidentify());
    return Errors.change(() -> rules.putRule(named), named);
  }

  @POST
  @Path("/{id}/disable")
  @Operation(summary = "Disable a rule (it stays in the file)")
  @APIResponse(responseCode = "204", description = "disabled")
  @APIResponse(responseCode = "404", description = "no such rule")
  @APIResponse(responseCode = "409", description = "the rules are the deployment's (read-only)")
  @APIResponse(responseCode = "503", description = "the rules file could not be written")
  public Response disable(@PathParam("id") String id) {
    return enabled(id, false);
  }

  @POST
  @Path("/{id}/enable")
  @Operation(summary = "Enable a rule")
  @APIResponse(responseCode = "204", description = "enabled")
  @APIResponse(responseCode = "404", description = "no such rule")
  @APIResponse(responseCode = "409", description = "the rules are the deployment's (read-only)")
  @APIResponse(responseCode = "503", description = "the rules file could not be written")
  public Response enable(@PathParam("id") String id) {
    return enabled(id, true);
  }

  private Response enabled(String id, boolean on) {
    try {
      return rules.setEnabled(id, on)
          ? Response.noContent().build()
          : Errors.of(404, "no such rule");
    } catch (RulesReadOnlyException e) {
      return Errors.readOnly(e);
    } catch (IOException e) {
      return Errors.of(503, "the rules file could not be written");
    }
  }
}
