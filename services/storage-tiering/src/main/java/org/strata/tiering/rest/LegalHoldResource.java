package org.strata.tiering.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.strata.audit.AuditUnavailableException;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.ids.Uid;
import org.strata.servicekit.security.CurrentCaller;
import org.strata.tiering.repository.LegalHoldRepository;
import org.strata.tiering.repository.LegalHoldRepository.Hold;
import org.strata.tiering.service.LegalHolds;

/**
 * Legal holds on a study: while one is in force storage-tiering deletes none of the study's objects
 * (a move's source is kept), and index refuses to delete it (ADR 0043). Who placed and who lifted a
 * hold is recorded, and audited.
 */
@Path("/admin/tenants/{tenant}/studies/{study}/hold")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: legal holds")
@RolesAllowed(Roles.ADMIN)
public class LegalHoldResource {
  private static final Logger LOG = Logger.getLogger(LegalHoldResource.class);
  private static final int MAX_REASON = 1000;

  private final LegalHolds holds;
  private final LegalHoldRepository repository;
  private final CurrentCaller caller;

  public LegalHoldResource(LegalHolds holds, LegalHoldRepository repository, CurrentCaller caller) {
    this.holds = holds;
    this.repository = repository;
    this.caller = caller;
  }

  @PUT
  @Operation(summary = "Place a legal hold on a study (kept as it is when one is in force)")
  @APIResponse(responseCode = "200", description = "The hold in force")
  @APIResponse(responseCode = "400", description = "Malformed tenant or UID, no or too long reason")
  public Response place(
      @PathParam("tenant") String tenant,
      @PathParam("study") String study,
      @QueryParam("reason") String reason)
      throws SQLException {
    Response bad = check(tenant, study);
    if (bad != null) {
      return bad;
    }
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      return Errors.of(Response.Status.BAD_REQUEST, "reason: required, at most 1000 characters");
    }
    Hold hold;
    try {
      hold =
          holds.placeOnStudy(caller.get(), TenantId.parse(tenant).value(), study, reason.strip());
    } catch (IllegalStateException | AuditUnavailableException e) {
      return Errors.unavailable(e);
    }
    LOG.infof("legal hold in force, set by %s", hold.setBy());
    return Response.ok(describe(hold)).build();
  }

  @GET
  @Operation(summary = "The legal hold in force on a study")
  @APIResponse(responseCode = "200", description = "The hold: reason, who set it, when")
  @APIResponse(responseCode = "400", description = "Malformed tenant or UID")
  @APIResponse(responseCode = "404", description = "No hold in force")
  public Response get(@PathParam("tenant") String tenant, @PathParam("study") String study)
      throws SQLException {
    Response bad = check(tenant, study);
    if (bad != null) {
      return bad;
    }
    return repository
        .inForce(TenantId.parse(tenant).value(), study)
        .map(h -> Response.ok(describe(h)).build())
        .orElseGet(() -> Errors.of(Response.Status.NOT_FOUND, "no hold in force"));
  }

  @DELETE
  @Operation(summary = "Lift the legal hold on a study (who lifted it is recorded)")
  @APIResponse(responseCode = "204", description = "Lifted")
  @APIResponse(responseCode = "400", description = "Malformed tenant or UID")
  @APIResponse(responseCode = "404", description = "No hold in force")
  public Response lift(@PathParam("tenant") String tenant, @PathParam("study") String study)
      throws SQLException {
    Response bad = check(tenant, study);
    if (bad != null) {
      return bad;
    }
    try {
      if (!holds.liftFromStudy(caller.get(), TenantId.parse(tenant).value(), study)) {
        return Errors.of(Response.Status.NOT_FOUND, "no hold in force");
      }
    } catch (IllegalStateException | AuditUnavailableException e) {
      return Errors.unavailable(e);
    }
    LOG.infof("legal hold lifted by %s", caller.get().subject());
    return Response.noContent().build();
  }

  private static Response check(String tenant, String study) {
    if (!TenantId.isValid(tenant)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed tenant");
    }
    return Uid.isValid(study)
        ? null
        : Errors.of(Response.Status.BAD_REQUEST, "malformed study UID");
  }

  private static Map<String, Object> describe(Hold h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tenant", h.tenant());
    m.put("study", h.studyUid());
    m.put("reason", h.reason());
    m.put("setBy", h.setBy());
    m.put("setAt", h.setAt().toString());
    return m;
  }
}
