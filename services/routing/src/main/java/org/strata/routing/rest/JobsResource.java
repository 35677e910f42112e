package org.strata.routing.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.routing.messaging.JobPublisher.PublishException;
import org.strata.routing.repository.JobBoard;
import org.strata.routing.service.Dispatcher;
import org.strata.routing.service.JobState;
import org.strata.routing.service.RuleBook;

/** Routing jobs: list and status, cancel, retry. */
@Path("/admin/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Routing jobs")
@RolesAllowed(Roles.ADMIN)
public class JobsResource {
  private final Dispatcher dispatcher;

  public JobsResource(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** A job as the API shows it (no object keys). */
  public record Job(
      String jobId,
      String destination,
      String priority,
      String ruleId,
      String requestedBy,
      String tenant,
      String studyInstanceUid,
      JobState state,
      int instances,
      int sent,
      int attempts,
      String lastReason,
      Instant updatedAt) {
    static Job of(JobBoard.Entry e) {
      return new Job(
          e.jobId(),
          e.destination(),
          e.priority().name(),
          e.ruleId(),
          e.requestedBy(),
          e.tenant(),
          e.studyInstanceUid(),
          e.state(),
          e.total(),
          e.sent(),
          e.attempts(),
          e.lastReason(),
          e.updatedAt());
    }
  }

  @GET
  @Operation(summary = "Recent jobs, newest first")
  @APIResponse(responseCode = "200", description = "the jobs")
  @APIResponse(responseCode = "400", description = "unknown state or bad limit")
  public Response list(
      @Parameter(description = "only this destination's") @QueryParam("destination")
          String destination,
      @Parameter(
              description =
                  "only in this state (PENDING, IN_FLIGHT, SENT, FAILED, DEAD," + " CANCELLED)")
          @QueryParam("state")
          String state,
      @Parameter(description = "at most this many (1..1000)")
          @QueryParam("limit")
          @DefaultValue("100")
          String limit) {
    JobState s = null;
    if (state != null) {
      try {
        s = JobState.valueOf(state);
      } catch (IllegalArgumentException e) {
        return Errors.of(400, "state: one of PENDING IN_FLIGHT SENT FAILED DEAD CANCELLED");
      }
    }
    int n;
    try {
      n = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > 1000) {
      return Errors.of(400, "limit: 1..1000");
    }
    if (destination != null && !RuleBook.isName(destination)) {
      return Response.ok(List.of()).build(); // no destination is named so: none of its jobs
    }
    return Response.ok(dispatcher.board().list(destination, s, n).stream().map(Job::of).toList())
        .build();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One job's status")
  @APIResponse(responseCode = "200", description = "the job")
  @APIResponse(responseCode = "404", description = "no such job")
  public Response get(@PathParam("id") String id) {
    return dispatcher
        .board()
        .get(id)
        .map(e -> Response.ok(Job.of(e)).build())
        .orElse(Errors.of(404, "no such job"));
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(
      summary = "Cancel a job",
      description =
          "A waiting job leaves its queue; one being sent stops before its next instance. A"
              + " cancelled job is never retried (unless retried here).")
  @APIResponse(responseCode = "204", description = "cancelled")
  @APIResponse(responseCode = "404", description = "no such job, or already finished")
  public Response cancel(@PathParam("id") String id) {
    return dispatcher.cancel(id)
        ? Response.noContent().build()
        : Errors.of(404, "no such job, or already finished");
  }

  @POST
  @Path("/{id}/retry")
  @Operation(
      summary = "Retry a job now",
      description =
          "A dead or cancelled job is queued again with what it had left to send and a fresh count"
              + " of attempts; a job waiting for its backoff starts now.")
  @APIResponse(responseCode = "202", description = "queued")
  @APIResponse(responseCode = "404", description = "no such job, or nothing to retry")
  @APIResponse(responseCode = "503", description = "the queue did not accept it (Kafka)")
  public Response retry(@PathParam("id") String id) {
    try {
      return dispatcher.retry(id)
          ? Response.accepted().build()
          : Errors.of(404, "no such job, or nothing to retry");
    } catch (PublishException e) {
      return Errors.of(503, "the queue did not accept the job");
    }
  }
}
