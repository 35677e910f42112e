package org.strata.index.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.InstanceDeleted;
import org.strata.events.InstanceDeleted.Scope;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.ids.Uid;
import org.strata.index.service.DeletionService;
import org.strata.index.service.StudyHeldException;
import org.strata.servicekit.rest.ErrorResponse;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Deletion of a tenant's studies, series and instances. A request is accepted (202) once its {@code
 * InstanceDeleted} event is acknowledged by Kafka; the index and the object store apply it shortly
 * after. Admins only ({@code strata-admin}), in a tenant their token holds whole (ADR 0025).
 */
@Path("/admin/tenants/{tenant}/studies/{study}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: deletion")
@RolesAllowed(Roles.ADMIN)
@Audited(kind = AccessKind.DELETE, channel = Channels.ADMIN_API)
public class AdminResource {

  private final DeletionService deletions;
  @jakarta.inject.Inject CurrentCaller caller;
  @jakarta.inject.Inject AuditedPatients audited;

  public AdminResource(DeletionService deletions) {
    this.deletions = deletions;
  }

  @DELETE
  @Operation(summary = "Delete a study")
  @APIResponse(responseCode = "202", description = "Deletion accepted and published")
  @APIResponse(responseCode = "400", description = "The tenant or a UID is malformed")
  @APIResponse(responseCode = "404", description = "The tenant has no such study")
  @APIResponse(responseCode = "409", description = "A legal hold is in force on the study")
  public Uni<Response> deleteStudy(
      @PathParam("tenant") String tenant,
      @PathParam("study") String study,
      @QueryParam("reason") String reason) {
    return delete(tenant, Scope.STUDY, study, null, null, reason);
  }

  @DELETE
  @Path("/series/{series}")
  @Operation(summary = "Delete a series")
  @APIResponse(responseCode = "202", description = "Deletion accepted and published")
  @APIResponse(responseCode = "400", description = "The tenant or a UID is malformed")
  @APIResponse(responseCode = "404", description = "The tenant has no such series")
  @APIResponse(responseCode = "409", description = "A legal hold is in force on the study")
  public Uni<Response> deleteSeries(
      @PathParam("tenant") String tenant,
      @PathParam("study") String study,
      @PathParam("series") String series,
      @QueryParam("reason") String reason) {
    return delete(tenant, Scope.SERIES, study, series, null, reason);
  }

  @DELETE
  @Path("/series/{series}/instances/{instance}")
  @Operation(summary = "Delete an instance")
  @APIResponse(responseCode = "202", description = "Deletion accepted and published")
  @APIResponse(responseCode = "400", description = "The tenant or a UID is malformed")
  @APIResponse(responseCode = "404", description = "The tenant has no such instance")
  @APIResponse(responseCode = "409", description = "A legal hold is in force on the study")
  public Uni<Response> deleteInstance(
      @PathParam("tenant") String tenant,
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @QueryParam("reason") String reason) {
    return delete(tenant, Scope.INSTANCE, study, series, instance, reason);
  }

  private Uni<Response> delete(
      String tenant, Scope scope, String study, String series, String sop, String reason) {
    // Checked before PostgreSQL sees it: a NUL byte in the tenant was a 500 from the driver.
    if (!TenantId.isValid(tenant)) {
      return Uni.createFrom().item(error(Response.Status.BAD_REQUEST, "malformed tenant"));
    }
    tenant = TenantId.parse(tenant).value();
    if (!caller.mayAdminister(tenant)) {
      // As for a study the tenant does not have: a token learns nothing of other tenants.
      return Uni.createFrom()
          .item(error(Response.Status.NOT_FOUND, "nothing to delete in " + scope));
    }
    for (String uid : new String[] {study, series, sop}) {
      if (uid != null && !Uid.isValid(uid)) {
        return Uni.createFrom().item(error(Response.Status.BAD_REQUEST, "malformed UID: " + uid));
      }
    }
    return deletions
        .request(tenant, scope, study, series, sop, reason, "admin-api")
        .map(
            requested -> {
              if (requested == null) {
                return error(Response.Status.NOT_FOUND, "nothing to delete in " + scope);
              }
              audited.patient(requested.patientId(), requested.issuer());
              return accepted(requested.event());
            })
        .onFailure(StudyHeldException.class)
        .recoverWithItem(
            e -> {
              StudyHeldException held = (StudyHeldException) e;
              if (held.patientId() != null) {
                // A refused delete is recorded as one that succeeded: whose data it aimed at.
                audited.patient(held.patientId(), held.issuer());
              }
              return error(Response.Status.CONFLICT, "legal hold: " + held.holdReason());
            });
  }

  private static Response accepted(InstanceDeleted event) {
    return Response.accepted(
            Map.of(
                "eventId", event.eventId(),
                "scope", event.scope().name(),
                "objects", event.objects().size()))
        .build();
  }

  private static Response error(Response.Status status, String reason) {
    return ErrorResponse.of(status.getStatusCode(), reason);
  }
}
