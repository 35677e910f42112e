package org.strata.audit.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.audit.chain.VerificationReport;
import org.strata.audit.service.AuditorScope;
import org.strata.audit.service.ChainExport;
import org.strata.audit.service.ChainVerification;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.servicekit.security.CurrentCaller;

/** The chain's integrity: verification and export (strata-auditor only). */
@Path("/audit")
@RolesAllowed(Roles.AUDITOR)
@Audited(kind = AccessKind.AUDIT_LOG_USED, channel = Channels.AUDIT_API)
public class AuditResource {
  static final String NDJSON = "application/x-ndjson";

  private final ChainVerification verification;
  private final ChainExport export;
  private final AuditorScope scope;
  private final CurrentCaller caller;

  AuditResource(
      ChainVerification verification,
      ChainExport export,
      AuditorScope scope,
      CurrentCaller caller) {
    this.verification = verification;
    this.export = export;
    this.scope = scope;
    this.caller = caller;
  }

  @GET
  @Path("/verify")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Verify the whole hash chain and its signed checkpoints",
      description =
          "valid, or the first broken record: its seq and what is wrong (EDITED, MISSING,"
              + " REORDERED, TRUNCATED, FORGED_CHECKPOINT). Names positions only, never content.")
  @APIResponse(responseCode = "200", description = "the verification report")
  @APIResponse(responseCode = "401", description = "no valid token")
  @APIResponse(responseCode = "403", description = "not strata-auditor")
  @APIResponse(responseCode = "503", description = "PostgreSQL unavailable")
  public VerificationReport verify() throws SQLException {
    return verification.verify();
  }

  @GET
  @Path("/export")
  @Produces(NDJSON)
  @Operation(
      summary = "Export the chain with its checkpoints as NDJSON",
      description =
          "Header, every record (records of tenants the caller may not see without content),"
              + " every checkpoint; verify offline with org.strata.audit.chain.OfflineVerifier.")
  @APIResponse(responseCode = "200", description = "the export")
  @APIResponse(responseCode = "401", description = "no valid token")
  @APIResponse(responseCode = "403", description = "not strata-auditor")
  @APIResponse(responseCode = "503", description = "PostgreSQL unavailable")
  public Response export() {
    Set<String> tenants = scope.visibleTenants(caller.get());
    StreamingOutput body =
        out -> {
          var writer =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
          try {
            export.write(tenants, writer);
          } catch (SQLException e) {
            throw new java.io.IOException("reading the audit chain failed", e);
          }
        };
    return Response.ok(body, NDJSON).build();
  }
}
