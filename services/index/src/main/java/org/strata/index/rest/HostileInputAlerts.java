package org.strata.index.rest;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditUnavailableException;
import org.strata.audit.SecurityAlertThrottle;
import org.strata.index.security.AuditChannelOf;
import org.strata.index.security.CurrentCaller;

/**
 * Records a request target refused as hostile ({@link RequestTargetFilter}: NUL, invalid UTF-8,
 * over-long values) as a Security Alert, at most one per source address and rule within the alert
 * window: a fuzzer sends thousands, the trail needs the fact, not each one.
 */
@ApplicationScoped
public class HostileInputAlerts {
  private final AuditLog log;
  private final SecurityAlertThrottle throttle;
  private final CurrentCaller caller;

  HostileInputAlerts(AuditLog log, SecurityAlertThrottle throttle, CurrentCaller caller) {
    this.log = log;
    this.throttle = throttle;
    this.caller = caller;
  }

  /** The request was refused with {@code reason} (names the rule, never the value). */
  void refused(String path, String reason) {
    var who = caller.get();
    int suppressed = throttle.admit(String.valueOf(who.sourceAddress()), reason);
    if (suppressed < 0) {
      return;
    }
    try {
      log.record(
          AuditEntry.securityAlert(who, AuditChannelOf.path(path), "hostile input: " + reason)
              .detail(suppressed == 0 ? null : suppressed + " similar refusals not recorded"));
    } catch (AuditUnavailableException e) {
      // Refused already.
    }
  }
}
