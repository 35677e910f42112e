package org.strata.ingest.security;

import org.strata.events.AuditRecord.Channels;

/** The audit channel of a request path, for records made before a resource is matched. */
public final class AuditChannelOf {
  private AuditChannelOf() {}

  public static String path(String path) {
    return path.startsWith("/dicomweb") ? Channels.STOW_RS : Channels.ADMIN_API;
  }
}
