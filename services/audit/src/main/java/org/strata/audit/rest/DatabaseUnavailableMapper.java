package org.strata.audit.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.strata.servicekit.rest.ErrorResponse;

/** PostgreSQL failed: 503 with a reason, the SQL error in the log only. */
@Provider
public class DatabaseUnavailableMapper implements ExceptionMapper<SQLException> {
  private static final Logger LOG = Logger.getLogger(DatabaseUnavailableMapper.class);

  @Override
  public Response toResponse(SQLException e) {
    LOG.warnf("audit request failed on PostgreSQL: %s", e.getSQLState());
    return ErrorResponse.of(503, "the audit database is unavailable");
  }
}
