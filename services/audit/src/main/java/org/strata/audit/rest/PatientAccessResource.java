package org.strata.audit.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.audit.fhir.InvalidSearchException;
import org.strata.audit.service.AuditorScope;
import org.strata.audit.service.PatientAccessReport;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.servicekit.security.CurrentCaller;

/** The patient access report as JSON or CSV; auditors only. */
@Path("/audit/patient-access")
@RolesAllowed(Roles.AUDITOR)
@Audited(kind = AccessKind.AUDIT_LOG_USED, channel = Channels.AUDIT_API)
public class PatientAccessResource {
  static final String CSV = "text/csv";

  private final PatientAccessReport report;
  private final AuditorScope scope;
  private final CurrentCaller caller;

  PatientAccessResource(PatientAccessReport report, AuditorScope scope, CurrentCaller caller) {
    this.report = report;
    this.scope = scope;
    this.caller = caller;
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, CSV})
  @Operation(
      summary = "Who accessed a patient between dates",
      description =
          "Every recorded action on the patient in the caller's tenants, newest first: when, who,"
              + " roles, calling AE, address, event type, action, outcome, interface, service,"
              + " studies. At most 10000 rows (truncated says when more exist).")
  @APIResponse(responseCode = "200", description = "the report (JSON or CSV)")
  @APIResponse(responseCode = "400", description = "patient missing, or a date or format invalid")
  @APIResponse(responseCode = "401", description = "no valid token")
  @APIResponse(responseCode = "403", description = "not strata-auditor")
  @APIResponse(responseCode = "503", description = "PostgreSQL unavailable")
  public Response patientAccess(
      @Parameter(description = "issuer|id, |id (no issuer) or id (any issuer)")
          @QueryParam("patient")
          String patient,
      @Parameter(description = "first day or time included, YYYY[-MM[-DD[Thh:mm[:ss][zone]]]]")
          @QueryParam("from")
          String from,
      @Parameter(description = "last day or time included") @QueryParam("to") String to,
      @Parameter(description = "json (default) or csv") @QueryParam("format") String format)
      throws SQLException {
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw new InvalidSearchException("format: json or csv");
    }
    PatientAccessReport.Report r =
        report.report(patient, from, to, scope.visibleTenants(caller.get()));
    return csv
        ? Response.ok(PatientAccessReport.csv(r), CSV + "; charset=utf-8")
            .header("Content-Disposition", "attachment; filename=\"patient-access.csv\"")
            .build()
        : Response.ok(r, MediaType.APPLICATION_JSON).build();
  }
}
