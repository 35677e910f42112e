package org.strata.tiering.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AuditUnavailableException;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.tiering.service.LifecyclePolicy;
import org.strata.tiering.service.PoliciesReadOnlyException;
import org.strata.tiering.service.PolicyBook;
import org.strata.tiering.service.PolicyEvaluator;
import org.strata.tiering.service.PolicyFile;

/**
 * A tenant's lifecycle policies as versioned data (ADR 0054), as routing's rules: list, get (with
 * the versions it replaced), add or change (a new version, the old one kept), enable and disable
 * (also new versions), dry-run one. The tenant must be one the token holds whole (TenantPathGuard);
 * a policy of every tenant is only in the file. Every change is audited.
 */
@Path("/admin/tenants/{tenant}/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: lifecycle policies")
@RolesAllowed(Roles.ADMIN)
public class TenantPolicyResource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_BODY = 16 * 1024;

  private final PolicyBook book;
  private final PolicyEvaluator evaluator;
  private final PolicyPreviews previews;
  private final CurrentCaller caller;

  public TenantPolicyResource(
      PolicyBook book, PolicyEvaluator evaluator, PolicyPreviews previews, CurrentCaller caller) {
    this.book = book;
    this.evaluator = evaluator;
    this.previews = previews;
    this.caller = caller;
  }

  @GET
  @Operation(
      summary = "The tenant's lifecycle policies in force, with the file's revision",
      description =
          "fileError: why the last hand edit of the policies file was not taken (the policies in"
              + " force stay), or null")
  @APIResponse(responseCode = "200", description = "revision, fileError, policies")
  @APIResponse(responseCode = "400", description = "The tenant is malformed")
  public Response list(@PathParam("tenant") String tenant) {
    if (!TenantId.isValid(tenant)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed tenant");
    }
    String t = TenantId.parse(tenant).value();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("revision", book.document().revision());
    body.put("fileError", book.fileError());
    body.put(
        "policies",
        book.policies().stream()
            .filter(p -> t.equals(p.tenant()))
            .map(PolicyFile::describe)
            .toList());
    return Response.ok(body).build();
  }

  @GET
  @Path("/{name}")
  @Operation(summary = "One policy in force, with the versions it replaced (oldest first)")
  @APIResponse(responseCode = "200", description = "The policy and its history")
  @APIResponse(responseCode = "400", description = "The tenant or name is malformed")
  @APIResponse(responseCode = "404", description = "The tenant has no such policy")
  public Response get(@PathParam("tenant") String tenant, @PathParam("name") String name) {
    return found(tenant, name, p -> Response.ok(withHistory(p)).build());
  }

  @PUT
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Add a policy or change it (a new version; the old one is kept in the history)",
      description =
          "The body: enabled, modality, sopClass, minBytes, since (study-date, ingest or access),"
              + " olderThan (ISO-8601 period) and toTier; the name and tenant are the path's."
              + " Writing the policy as it is changes nothing.")
  @APIResponse(responseCode = "200", description = "The policy in force, with its version")
  @APIResponse(responseCode = "400", description = "The tenant, name or policy is invalid")
  @APIResponse(responseCode = "409", description = "The policies are the deployment's")
  @APIResponse(responseCode = "503", description = "The file could not be written, or audit full")
  public Response put(
      @PathParam("tenant") String tenant, @PathParam("name") String name, byte[] body) {
    Response bad = malformed(tenant, name);
    if (bad != null) {
      return bad;
    }
    if (body == null || body.length == 0 || body.length > MAX_BODY) {
      return Errors.of(Response.Status.BAD_REQUEST, "body: a policy of at most 16 KiB");
    }
    LifecyclePolicy wanted;
    try {
      JsonNode node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
      if (node == null || !node.isObject()) {
        return Errors.of(Response.Status.BAD_REQUEST, "body: a JSON object");
      }
      ObjectNode p = (ObjectNode) node;
      if (p.has("name") || p.has("tenant") || p.has("version")) {
        return Errors.of(
            Response.Status.BAD_REQUEST, "body: name, tenant and version are not the body's");
      }
      p.put("name", name);
      p.put("tenant", TenantId.parse(tenant).value());
      wanted = PolicyFile.policy(p, null);
    } catch (IOException e) {
      return Errors.of(Response.Status.BAD_REQUEST, "body: not JSON");
    } catch (IllegalArgumentException e) {
      return Errors.of(Response.Status.BAD_REQUEST, e.getMessage());
    }
    return change(() -> Optional.of(book.put(wanted, caller.get())));
  }

  @POST
  @Path("/{name}/{action}")
  @Operation(
      summary =
          "Enable or disable a policy (a new version; a disabled one stays, the dry-run still"
              + " shows it)")
  @APIResponse(responseCode = "200", description = "The policy in force")
  @APIResponse(responseCode = "400", description = "The tenant or name is malformed")
  @APIResponse(
      responseCode = "404",
      description = "The tenant has no such policy, or the action is neither enable nor disable")
  @APIResponse(responseCode = "409", description = "The policies are the deployment's")
  @APIResponse(responseCode = "503", description = "The file could not be written, or audit full")
  public Response setEnabled(
      @PathParam("tenant") String tenant,
      @PathParam("name") String name,
      @Parameter(schema = @Schema(enumeration = {"enable", "disable"})) @PathParam("action")
          String action) {
    Response bad = malformed(tenant, name);
    if (bad != null) {
      return bad;
    }
    if (!"enable".equals(action) && !"disable".equals(action)) {
      return Errors.of(Response.Status.NOT_FOUND, "the action is enable or disable");
    }
    boolean on = "enable".equals(action);
    return change(() -> book.setEnabled(TenantId.parse(tenant).value(), name, on, caller.get()));
  }

  @GET
  @Path("/{name}/dry-run")
  @Operation(
      summary =
          "What the policy would move now (enabled or not): objects and bytes per tier, the"
              + " estimated monthly cost on each; moves nothing")
  @APIResponse(responseCode = "200", description = "The policy's dry-run")
  @APIResponse(responseCode = "400", description = "The tenant or name is malformed")
  @APIResponse(responseCode = "404", description = "The tenant has no such policy")
  public Response dryRun(@PathParam("tenant") String tenant, @PathParam("name") String name)
      throws SQLException {
    Response bad = malformed(tenant, name);
    if (bad != null) {
      return bad;
    }
    Optional<LifecyclePolicy> p = book.get(TenantId.parse(tenant).value(), name);
    if (p.isEmpty()) {
      return Errors.of(Response.Status.NOT_FOUND, "the tenant has no such policy");
    }
    return Response.ok(previews.describe(evaluator.dryRun(p.get()))).build();
  }

  private interface Change {
    Optional<LifecyclePolicy> apply() throws PoliciesReadOnlyException, IOException;
  }

  private Response change(Change change) {
    try {
      return change
          .apply()
          .map(p -> Response.ok(PolicyFile.describe(p)).build())
          .orElse(Errors.of(Response.Status.NOT_FOUND, "the tenant has no such policy"));
    } catch (PoliciesReadOnlyException e) {
      return Errors.of(Response.Status.CONFLICT, e.getMessage());
    } catch (IllegalArgumentException e) {
      return Errors.of(Response.Status.BAD_REQUEST, e.getMessage());
    } catch (AuditUnavailableException e) {
      return Errors.unavailable(e);
    } catch (IOException | IllegalStateException e) {
      return Errors.of(
          Response.Status.SERVICE_UNAVAILABLE, "the policies file could not be written");
    }
  }

  private Response found(
      String tenant, String name, java.util.function.Function<LifecyclePolicy, Response> then) {
    Response bad = malformed(tenant, name);
    if (bad != null) {
      return bad;
    }
    return book.get(TenantId.parse(tenant).value(), name)
        .map(then)
        .orElse(Errors.of(Response.Status.NOT_FOUND, "the tenant has no such policy"));
  }

  private Map<String, Object> withHistory(LifecyclePolicy p) {
    Map<String, Object> m = PolicyFile.describe(p);
    List<Map<String, Object>> history =
        book.history(p.tenant(), p.name()).stream()
            .map(
                s -> {
                  Map<String, Object> h = PolicyFile.describe(s.policy());
                  h.put("replacedAt", s.replacedAt() == null ? null : s.replacedAt().toString());
                  h.put("replacedBy", s.replacedBy());
                  return h;
                })
            .toList();
    m.put("history", history);
    return m;
  }

  private static Response malformed(String tenant, String name) {
    if (!TenantId.isValid(tenant)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed tenant");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      return Errors.of(
          Response.Status.BAD_REQUEST, "name: 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return null;
  }
}
