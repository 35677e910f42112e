package org.strata.audit;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A figure of an {@link AuditLog}'s spool that every service publishes as a metric, named here once
 * (docs/audit.md lists them): a gauge, or a counter that only grows.
 */
public record SpoolMetric(
    String name, String description, boolean counter, ToDoubleFunction<AuditLog> value) {

  public static final List<SpoolMetric> ALL =
      List.of(
          new SpoolMetric(
              "strata_audit_spool_records",
              "audit records waiting in the local spool for Kafka",
              false,
              AuditLog::pendingRecords),
          new SpoolMetric(
              "strata_audit_spool_bytes",
              "bytes of the audit records waiting in the local spool",
              false,
              AuditLog::pendingBytes),
          new SpoolMetric(
              "strata_audit_spool_max_bytes",
              "the local audit spool's bound (strata.audit.spool.max-size)",
              false,
              AuditLog::maxSpoolBytes),
          new SpoolMetric(
              "strata_audit_refused",
              "accesses refused because their audit record could not be kept",
              true,
              AuditLog::refused),
          new SpoolMetric(
              "strata_audit_dropped",
              "audit records dropped under strata.audit.spool.when-full=drop",
              true,
              AuditLog::dropped));
}
