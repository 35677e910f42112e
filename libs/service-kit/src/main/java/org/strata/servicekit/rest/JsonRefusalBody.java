package org.strata.servicekit.rest;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/** Every refusal as {@link ErrorResponse}. */
@DefaultBean
@ApplicationScoped
public class JsonRefusalBody implements RefusalBody {
  @Override
  public Response of(String path, int status, String reason) {
    return ErrorResponse.of(status, reason);
  }
}
