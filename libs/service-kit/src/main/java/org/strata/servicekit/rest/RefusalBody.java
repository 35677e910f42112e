package org.strata.servicekit.rest;

import jakarta.ws.rs.core.Response;

/**
 * The answer to a request refused before it reached a resource, by path: {@link ErrorResponse}
 * unless a service answers some paths in a standard's own error form ({@link JsonRefusalBody} is
 * the default bean).
 */
public interface RefusalBody {
  Response of(String path, int status, String reason);
}
