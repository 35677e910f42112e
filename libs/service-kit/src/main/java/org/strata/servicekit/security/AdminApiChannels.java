package org.strata.servicekit.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.strata.events.AuditRecord.Channels;

/** Every path of a service that serves only admin APIs is the admin API channel. */
@DefaultBean
@ApplicationScoped
public class AdminApiChannels implements RequestChannels {
  @Override
  public String of(String path) {
    return Channels.ADMIN_API;
  }
}
