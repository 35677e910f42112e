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
import org.strata.servicekit.security.CurrentCaller;
import org.strata.tiering.repository.PatientHoldRepository;
import org.strata.tiering.repository.PatientHoldRepository.PatientHold;
import org.strata.tiering.service.LegalHolds;

/**
 * Legal holds on a patient of a tenant: every study of the patient is held as by a study hold. Same
 * shape as the study holds; the patient is its Patient ID, with {@code issuer} optional (none: the
 * ID under every issuer). The Patient ID is never logged.
 */
@Path("/admin/tenants/{tenant}/patients/{patient}/hold")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: legal holds")
@RolesAllowed(Roles.ADMIN)
public class PatientHoldResource {
  private static final Logger LOG = Logger.getLogger(PatientHoldResource.class);
  private static final int MAX_REASON = 1000;

  /** Patient ID and Issuer of Patient ID are LO: at most 64 characters. */
  private static final int MAX_LO = 64;

  private final LegalHolds holds;
  private final PatientHoldRepository repository;
  private final CurrentCaller caller;

  public PatientHoldResource(
      LegalHolds holds, PatientHoldRepository repository, CurrentCaller caller) {
    this.holds = holds;
    this.repository = repository;
    this.caller = caller;
  }

  @PUT
  @Operation(summary = "Hold every study of a patient (kept as it is when one is in force)")
  @APIResponse(responseCode = "200", description = "The hold in force")
  @APIResponse(responseCode = "400", description = "Malformed tenant, patient, issuer or reason")
  public Response place(
      @PathParam("tenant") String tenant,
      @PathParam("patient") String patient,
      @QueryParam("issuer") String issuer,
      @QueryParam("reason") String reason)
      throws SQLException {
    Response bad = check(tenant, patient, issuer);
    if (bad != null) {
      return bad;
    }
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      return Errors.of(Response.Status.BAD_REQUEST, "reason: required, at most 1000 characters");
    }
    PatientHold hold;
    try {
      hold =
          holds.placeOnPatient(
              caller.get(), TenantId.parse(tenant).value(), patient, issuer, reason.strip());
    } catch (IllegalStateException | AuditUnavailableException e) {
      return Errors.unavailable(e);
    }
    LOG.infof("legal hold on a patient in force, set by %s", hold.setBy());
    return Response.ok(describe(hold)).build();
  }

  @GET
  @Operation(summary = "The legal hold in force on a patient")
  @APIResponse(responseCode = "200", description = "The hold: reason, who set it, when, studies")
  @APIResponse(responseCode = "400", description = "Malformed tenant, patient or issuer")
  @APIResponse(responseCode = "404", description = "No hold in force")
  public Response get(
      @PathParam("tenant") String tenant,
      @PathParam("patient") String patient,
      @QueryParam("issuer") String issuer)
      throws SQLException {
    Response bad = check(tenant, patient, issuer);
    if (bad != null) {
      return bad;
    }
    return repository
        .inForce(TenantId.parse(tenant).value(), patient, issuer)
        .map(h -> Response.ok(describe(h)).build())
        .orElseGet(() -> Errors.of(Response.Status.NOT_FOUND, "no hold in force"));
  }

  @DELETE
  @Operation(summary = "Lift the legal hold on a patient (who lifted it is recorded)")
  @APIResponse(responseCode = "204", description = "Lifted")
  @APIResponse(responseCode = "400", description = "Malformed tenant, patient or issuer")
  @APIResponse(responseCode = "404", description = "No hold in force")
  public Response lift(
      @PathParam("tenant") String tenant,
      @PathParam("patient") String patient,
      @QueryParam("issuer") String issuer)
      throws SQLException {
    Response bad = check(tenant, patient, issuer);
    if (bad != null) {
      return bad;
    }
    try {
      if (!holds.liftFromPatient(caller.get(), TenantId.parse(tenant).value(), patient, issuer)) {
        return Errors.of(Response.Status.NOT_FOUND, "no hold in force");
      }
    } catch (IllegalStateException | AuditUnavailableException e) {
      return Errors.unavailable(e);
    }
    LOG.infof("legal hold on a patient lifted by %s", caller.get().subject());
    return Response.noContent().build();
  }

  private static Response check(String tenant, String patient, String issuer) {
    if (!TenantId.isValid(tenant)) {
      return Errors.of(Response.Status.BAD_REQUEST, "malformed tenant");
    }
    if (!isLo(patient)) {
      return Errors.of(Response.Status.BAD_REQUEST, "patient: 1 to 64 characters, no control");
    }
    if (issuer != null && !isLo(issuer)) {
      return Errors.of(Response.Status.BAD_REQUEST, "issuer: 1 to 64 characters, no control");
    }
    return null;
  }

  /** A DICOM LO value: 1 to 64 characters, no backslash, no control characters. */
  private static boolean isLo(String v) {
    return v != null
        && !v.isBlank()
        && v.length() <= MAX_LO
        && v.chars().noneMatch(ch -> ch < 0x20 || ch == '\\' || ch == 0x7f);
  }

  private static Map<String, Object> describe(PatientHold h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tenant", h.tenant());
    m.put("patient", h.patientId());
    m.put("issuer", h.issuer());
    m.put("reason", h.reason());
    m.put("setBy", h.setBy());
    m.put("setAt", h.setAt().toString());
    m.put("studies", h.studies());
    return m;
  }
}
