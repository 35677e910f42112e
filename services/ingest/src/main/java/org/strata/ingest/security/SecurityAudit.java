package org.strata.ingest.security;

import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.quarkus.security.spi.runtime.AuthorizationFailureEvent;
import io.quarkus.security.spi.runtime.SecurityEvent;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.Set;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.SecurityAlertThrottle;
import org.strata.http.auth.CallerIdentity;

/**
 * Records refused sign-ins (401: no, a bad or an expired token) as User Authentication failures and
 * refused calls of an authenticated caller (403: a role it lacks) as Security Alerts, from Quarkus'
 * security events, off the event loop. At most one per source address and kind within {@code
 * strata.audit.alert-window}, so a scanner cannot flood the trail; the suppressed count goes into
 * the next record.
 */
@ApplicationScoped
public class SecurityAudit {
  private final AuditLog log;
  private final SecurityAlertThrottle throttle;

  SecurityAudit(AuditLog log, SecurityAlertThrottle throttle) {
    this.log = log;
    this.throttle = throttle;
  }

  void authenticationFailed(@ObservesAsync AuthenticationFailureEvent event) {
    signInFailed(event);
  }

  void authorizationFailed(@ObservesAsync AuthorizationFailureEvent event) {
    var identity = event.getSecurityIdentity();
    if (identity == null || identity.isAnonymous()) {
      signInFailed(event); // no token where one is needed: answered 401
      return;
    }
    String source = source(event);
    int suppressed = throttle.admit(source, "403");
    if (suppressed < 0) {
      return;
    }
    CallerIdentity caller =
        CallerIdentity.fromToken(identity.getPrincipal().getName(), identity.getRoles(), source);
    keep(
        AuditEntry.securityAlert(caller, channel(event), "access denied: role missing")
            .detail(suppressedNote(suppressed)));
  }

  private void signInFailed(SecurityEvent event) {
    String source = source(event);
    int suppressed = throttle.admit(source, "401");
    if (suppressed < 0) {
      return;
    }
    CallerIdentity caller =
        new CallerIdentity(CallerIdentity.ANONYMOUS_SUBJECT, Set.of(), Set.of(), source, null);
    keep(AuditEntry.failedSignIn(caller, channel(event)).detail(suppressedNote(suppressed)));
  }

  private void keep(AuditEntry entry) {
    try {
      log.record(entry);
    } catch (AuditUnavailableException e) {
      // The request was refused already; nothing more to refuse.
    }
  }

  private static String suppressedNote(int suppressed) {
    return suppressed == 0 ? null : suppressed + " similar refusals before this one not recorded";
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

  /** The interface the refused request used, from its path. */
  private static String channel(SecurityEvent event) {
    RoutingContext rc = routing(event);
    String path = rc == null ? "" : rc.normalizedPath();
    return AuditChannelOf.path(path);
  }
}
