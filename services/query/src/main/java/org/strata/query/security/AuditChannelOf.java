package org.strata.query.security;

import org.strata.events.AuditRecord.Channels;

/** The audit channel of a request path, for records made before a resource is matched. */
public final class AuditChannelOf {
  private AuditChannelOf() {}

  public static String path(String path) {
    if (path.startsWith("/fhir")) {
      return Channels.FHIR;
    }
    if (path.startsWith("/dicomweb/wado")) {
      return Channels.WADO_URI;
    }
    if (path.startsWith("/dicomweb/studies/")
        && !path.endsWith("/series")
        && !path.endsWith("/instances")) {
      return Channels.WADO_RS;
    }
    return Channels.QIDO_RS;
  }
}
