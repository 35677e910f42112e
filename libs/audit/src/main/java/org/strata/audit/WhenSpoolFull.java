package org.strata.audit;

import java.util.Locale;

/** What {@link AuditLog#record} does when a record cannot be spooled (ADR 0035). */
public enum WhenSpoolFull {
  /** Fail closed: throw {@link AuditUnavailableException}, the access is refused (default). */
  REFUSE,
  /** Fail open: serve the access without its record; counted and logged as an error. */
  DROP;

  /** From a configuration value: {@code refuse} or {@code drop}, any case. */
  public static WhenSpoolFull parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
