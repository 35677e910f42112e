package org.strata.servicekit.security;

import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.quarkus.security.spi.runtime.AuthorizationFailureEvent;
import io.quarkus.security.spi.runtime.SecurityEvent;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.strata.audit.RefusalAlerts;
import org.strata.http.auth.CallerIdentity;

/**
 * Hands Quarkus' security events to {@link RefusalAlerts} (libs/audit), off the event loop: refused
 * sign-ins (401) and calls refused to an authenticated caller (403).
 */
@ApplicationScoped
public class SecurityAudit {
  private final RefusalAlerts alerts;
  private final RequestChannels channels;

  SecurityAudit(RefusalAlerts alerts, RequestChannels channels) {
    this.alerts = alerts;
    this.channels = channels;
  }

  void authenticationFailed(@ObservesAsync AuthenticationFailureEvent event) {
    alerts.signInFailed(source(event), channel(event));
  }

  void authorizationFailed(@ObservesAsync AuthorizationFailureEvent event) {
    var identity = event.getSecurityIdentity();
    if (identity == null || identity.isAnonymous()) {
      alerts.signInFailed(source(event), channel(event)); // no token where one is needed: 401
    } else {
      alerts.accessDenied(
          CallerIdentity.fromToken(
              identity.getPrincipal().getName(), identity.getRoles(), source(event)),
          channel(event));
    }
  }

  private static RoutingContext routing(SecurityEvent event) {
    for (Object value : event.getEventProperties().values()) {
      if (value instanceof RoutingContext rc) {
        return rc;
      }
    }
    return null;
  }

  private static String source(SecurityEvent event) {
    RoutingContext rc = routing(event);
    var peer = rc == null ? null : rc.request().remoteAddress();
    return peer == null ? "unknown" : peer.hostAddress();
  }

  private String channel(SecurityEvent event) {
    RoutingContext rc = routing(event);
    return channels.of(rc == null ? "" : rc.normalizedPath());
  }
}
