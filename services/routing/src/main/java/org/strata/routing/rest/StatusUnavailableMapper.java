package org.strata.routing.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.strata.routing.repository.JobBoard;

/** Job status that PostgreSQL could not give: 503, the client may ask again. */
@Provider
public class StatusUnavailableMapper implements ExceptionMapper<JobBoard.Unavailable> {
  @Override
  public Response toResponse(JobBoard.Unavailable e) {
    return Errors.of(503, "job status unavailable");
  }
}
