package org.strata.ingest.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.events.AuditRecord.Channels;
import org.strata.servicekit.security.RequestChannels;

/** The audit channel of an ingest request path: STOW-RS under /dicomweb, else the admin API. */
@ApplicationScoped
public class IngestRequestChannels implements RequestChannels {
  @Override
  public String of(String path) {
    return path.startsWith("/dicomweb") ? Channels.STOW_RS : Channels.ADMIN_API;
  }
}
