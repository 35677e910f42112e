package org.strata.audit;

import java.time.Duration;
import java.util.Set;
import org.strata.events.AuditRecord.Outcome;
import org.strata.http.auth.CallerIdentity;

/**
 * The records of refusals anyone can provoke at any rate: failed sign-ins (401), denied calls
 * (403), hostile input and refused associations; at most one per source and rule within the window
 * ({@link SecurityAlertThrottle}, ADR 0036), the next one saying how many were left out. A full
 * spool does not matter here: the request was refused already.
 */
public final class RefusalAlerts {
  private final AuditLog log;
  private final SecurityAlertThrottle throttle;

  public RefusalAlerts(AuditLog log, Duration window) {
    this.log = log;
    this.throttle = new SecurityAlertThrottle(window);
  }

  /** HTTP 401: no token where one is needed, or a bad or expired one. */
  public void signInFailed(String source, String channel) {
    keep(
        source,
        "401",
        AuditEntry.failedSignIn(
            new CallerIdentity(CallerIdentity.ANONYMOUS_SUBJECT, Set.of(), Set.of(), source, null),
            channel));
  }

  /** HTTP 403: an authenticated caller without the role. */
  public void accessDenied(CallerIdentity caller, String channel) {
    keep(
        caller.sourceAddress(),
        "403",
        AuditEntry.securityAlert(caller, channel, "access denied: role missing"));
  }

  /**
   * HTTP 403 from an endpoint: an authenticated caller asked for data outside its scope (a tenant
   * its token does not hold); {@code what} names the rule, never a value.
   */
  public void scopeRefused(CallerIdentity caller, String channel, String what) {
    keep(
        caller.sourceAddress(),
        "403-scope",
        AuditEntry.securityAlert(caller, channel, "access denied: " + what));
  }

  /** A request refused as hostile; {@code reason} names the rule, never the value. */
  public void hostileInput(CallerIdentity caller, String channel, String reason) {
    keep(
        caller.sourceAddress(),
        reason,
        AuditEntry.securityAlert(caller, channel, "hostile input: " + reason));
  }

  /** An association refused for its calling AE. */
  public void associationRefused(String callingAe, String host, String channel, String reason) {
    keep(
        host,
        "association:" + callingAe,
        AuditEntry.refusedAssociation(CallerIdentity.dimse(callingAe, host, null), channel)
            .outcome(Outcome.MINOR_FAILURE, reason));
  }

  private void keep(String source, String rule, AuditEntry entry) {
    int suppressed = throttle.admit(String.valueOf(source), rule);
    if (suppressed < 0) {
      return;
    }
    if (suppressed > 0) {
      entry.detail(suppressed + " similar refusals before this one not recorded");
    }
    try {
      log.record(entry);
    } catch (AuditUnavailableException e) {
      // Refused already; nothing more to refuse.
    }
  }
}
