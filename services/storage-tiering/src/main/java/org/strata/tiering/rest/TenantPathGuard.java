package org.strata.tiering.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.strata.ids.TenantId;
import org.strata.servicekit.security.CurrentCaller;

/**
 * The admin APIs under {@code /admin/tenants/{tenant}/...} (moves, holds, policies) act only in a
 * tenant the token holds whole (ADR 0025), or for the local user: any other tenant is 404, as a
 * study the tenant does not have, so a token learns nothing of other tenants. A malformed tenant is
 * left to the resource (400).
 */
public class TenantPathGuard {
  @Inject CurrentCaller caller;

  @ServerRequestFilter
  public Response refuseOtherTenants(ContainerRequestContext request) {
    String tenant = request.getUriInfo().getPathParameters().getFirst("tenant");
    if (tenant == null || !TenantId.isValid(tenant)) {
      return null;
    }
    if (caller.mayAdminister(TenantId.parse(tenant).value())) {
      return null;
    }
    return Errors.of(Response.Status.NOT_FOUND, "no such study, patient or policy in the tenant");
  }
}
