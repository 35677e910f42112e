package org.strata.routing.rest;

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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.routing.service.Dispatcher;
import org.strata.routing.service.RoutingRules;
import org.strata.routing.service.RulesDocument.Destination;

/** Destinations: their configuration, their queue's status with counts, pause and resume. */
@Path("/admin/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "destinations", description = "Routing destinations and their queues")
@RolesAllowed(Roles.ADMIN)
public class DestinationsResource {
  private final RoutingRules rules;
  private final Dispatcher dispatcher;

  public DestinationsResource(RoutingRules rules, Dispatcher dispatcher) {
    this.rules = rules;
    this.dispatcher = dispatcher;
  }

  /** A destination and its queue. */
  public record DestinationStatus(Destination configuration, Dispatcher.QueueStatus queue) {}

  @GET
  @Operation(
      summary = "Every destination with its queue",
      description =
          "Paused or not, circuit breaker (CLOSED, OPEN, HALF_OPEN), jobs waiting and in flight,"
              + " the oldest waiting job's time, and jobs per state (PENDING, IN_FLIGHT, SENT,"
              + " FAILED, DEAD, CANCELLED) as this instance saw them.")
  @APIResponse(responseCode = "200", description = "the destinations")
  public List<DestinationStatus> list() {
    return dispatcher.knownDestinations().stream()
        .map(n -> new DestinationStatus(rules.book().destination(n), dispatcher.status(n)))
        .toList();
  }

  @GET
  @Path("/{name}")
  @Operation(summary = "One destination with its queue")
  @APIResponse(responseCode = "200", description = "the destination")
  @APIResponse(responseCode = "404", description = "no such destination")
  public Response get(@PathParam("name") String name) {
    if (!dispatcher.knownDestinations().contains(name)) {
      return Errors.of(404, "no such destination");
    }
    return Response.ok(
            new DestinationStatus(rules.book().destination(name), dispatcher.status(name)))
        .build();
  }

  @PUT
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Add or change a destination",
      description =
          "dimse (aeTitle of the known-AE file; host and port only for an AE not listed there) or"
              + " stow (url, basic or OAuth2 client credentials with secrets from environment"
              + " variables), parallelism (1..32), maxAttempts (1..100, else the service's) and"
              + " deidentificationKey (env or file holding the key of rules that de-identify;"
              + " never the key itself).")
  @APIResponse(responseCode = "200", description = "the destination as stored")
  @APIResponse(responseCode = "400", description = "invalid destination, with the reason")
  @APIResponse(responseCode = "409", description = "the rules are the deployment's (read-only)")
  @APIResponse(responseCode = "503", description = "the rules file could not be written")
  public Response put(@PathParam("name") String name, Destination destination) {
    if (destination == null) {
      return Errors.of(400, "body: a destination is required");
    }
    Destination named =
        new Destination(
            name,
            destination.dimse(),
            destination.stow(),
            destination.parallelism(),
            destination.maxAttempts(),
            destination.deidentificationKey());
    return Errors.change(() -> rules.putDestination(named), named);
  }

  @POST
  @Path("/{name}/pause")
  @Operation(summary = "Pause a destination: no job starts (in-flight ones finish)")
  @APIResponse(responseCode = "204", description = "paused")
  @APIResponse(responseCode = "404", description = "no such destination")
  public Response pause(@PathParam("name") String name) {
    return paused(name, true);
  }

  @POST
  @Path("/{name}/resume")
  @Operation(summary = "Resume a paused destination")
  @APIResponse(responseCode = "204", description = "resumed")
  @APIResponse(responseCode = "404", description = "no such destination")
  public Response resume(@PathParam("name") String name) {
    return paused(name, false);
  }

  private Response paused(String name, boolean on) {
    if (!dispatcher.knownDestinations().contains(name)) {
      return Errors.of(404, "no such destination");
    }
    dispatcher.setPaused(name, on);
    return Response.noContent().build();
  }
}
