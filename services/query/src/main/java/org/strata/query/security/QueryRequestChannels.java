package org.strata.query.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.events.AuditRecord.Channels;
import org.strata.servicekit.security.RequestChannels;

/** The audit channel of a query request path: FHIR, WADO-URI, WADO-RS or QIDO-RS. */
@ApplicationScoped
public class QueryRequestChannels implements RequestChannels {
  @Override
  public String of(String path) {
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
