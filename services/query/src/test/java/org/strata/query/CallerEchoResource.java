package org.strata.query;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.Roles;
import org.strata.servicekit.security.CurrentCaller;

/** Test-only endpoint: what CurrentCaller made of the request (LocalModeAuthTest reads it). */
@Path("/test/caller")
@RolesAllowed(Roles.READER)
public class CallerEchoResource {
  private final CurrentCaller caller;

  CallerEchoResource(CurrentCaller caller) {
    this.caller = caller;
  }

  @GET
  @Produces("application/json")
  public CallerIdentity get() {
    return caller.get();
  }
}
