package org.strata.audit.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.audit.fhir.AuditEventBundles;
import org.strata.audit.fhir.AuditEventSearch;
import org.strata.audit.repository.AuditSearchRepository;
import org.strata.audit.service.AuditorScope;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.servicekit.security.CurrentCaller;

/** FHIR R4 AuditEvent search with the IHE RESTful ATNA (ITI-81) parameters; auditors only. */
@Path("/fhir/AuditEvent")
@RolesAllowed(Roles.AUDITOR)
@Audited(kind = AccessKind.AUDIT_LOG_USED, channel = Channels.AUDIT_API)
public class AuditEventResource {
  public static final String FHIR_JSON = "application/fhir+json";

  private final AuditSearchRepository repository;
  private final AuditorScope scope;
  private final CurrentCaller caller;

  AuditEventResource(AuditSearchRepository repository, AuditorScope scope, CurrentCaller caller) {
    this.repository = repository;
    this.scope = scope;
    this.caller = caller;
  }

  @GET
  @Produces({FHIR_JSON, "application/json"})
  @Operation(
      summary = "Search AuditEvent (ITI-81)",
      description =
          "A searchset Bundle of the records of the caller's tenants, newest first, as BALP-shaped"
              + " AuditEvents. Occurrences of a parameter are ANDed, comma-separated values ORed;"
              + " an unknown parameter is 400.")
  @Parameter(name = "date", in = ParameterIn.QUERY, description = "[eq|gt|lt|ge|le]date(Time)")
  @Parameter(
      name = "patient.identifier",
      in = ParameterIn.QUERY,
      description = "issuer|id, |id (no issuer) or id (any issuer)")
  @Parameter(name = "agent", in = ParameterIn.QUERY, description = "the acting user, client or AE")
  @Parameter(name = "entity", in = ParameterIn.QUERY, description = "a Study Instance UID")
  @Parameter(name = "type", in = ParameterIn.QUERY, description = "DCM event ID code, e.g. 110112")
  @Parameter(name = "subtype", in = ParameterIn.QUERY, description = "interface, e.g. QIDO-RS")
  @Parameter(name = "outcome", in = ParameterIn.QUERY, description = "0, 4, 8 or 12")
  @Parameter(name = "source", in = ParameterIn.QUERY, description = "service, e.g. strata-query")
  @Parameter(name = "_count", in = ParameterIn.QUERY, description = "page size, 1 to 500")
  @Parameter(name = "_offset", in = ParameterIn.QUERY, description = "records to skip")
  @APIResponse(responseCode = "200", description = "Bundle (application/fhir+json)")
  @APIResponse(responseCode = "400", description = "OperationOutcome: a parameter is invalid")
  @APIResponse(responseCode = "401", description = "no valid token")
  @APIResponse(responseCode = "403", description = "not strata-auditor")
  @APIResponse(responseCode = "503", description = "PostgreSQL unavailable")
  public Response search(@Context UriInfo uri) throws SQLException {
    Set<String> tenants = scope.visibleTenants(caller.get());
    AuditEventSearch.Page page = AuditEventSearch.parse(uri.getQueryParameters(), tenants);
    var records = repository.search(page.query(), page.count() + 1, page.offset());
    String fhirBase = uri.getBaseUri().toString().replaceAll("/$", "") + "/fhir";
    String self = uri.getRequestUri().toString();
    String next =
        uri.getRequestUriBuilder()
            .replaceQueryParam("_offset", page.offset() + page.count())
            .build()
            .toString();
    return Response.ok(
            AuditEventBundles.page(records, page.count(), fhirBase, self, next), FHIR_JSON)
        .build();
  }
}
