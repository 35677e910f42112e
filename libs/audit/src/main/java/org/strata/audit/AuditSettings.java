package org.strata.audit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a service's {@link AuditLog} is set up; services fill it from their {@code strata.audit.*}
 * keys.
 *
 * @param service the recording service, e.g. {@code strata-query} (the DICOM audit source)
 * @param defaultTenant the tenant of records whose caller has none and which name none (service
 *     start, a failed sign-in)
 * @param kafkaBootstrapServers where {@code strata.audit.record} lives
 * @param spoolDir the directory of the local spool; one per service instance
 * @param maxSpoolBytes records not yet acknowledged by Kafka may take this much; beyond it {@code
 *     whenFull} applies
 * @param segmentBytes size at which a spool file is closed and a new one begun
 * @param whenFull refuse the access or drop the record
 * @param fsync whether each record is forced to disk before {@link AuditLog#record} returns
 */
public record AuditSettings(
    String service,
    String defaultTenant,
    String kafkaBootstrapServers,
    Path spoolDir,
    long maxSpoolBytes,
    long segmentBytes,
    WhenSpoolFull whenFull,
    boolean fsync) {

  public AuditSettings {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(defaultTenant, "defaultTenant");
    Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    Objects.requireNonNull(spoolDir, "spoolDir");
    Objects.requireNonNull(whenFull, "whenFull");
    if (maxSpoolBytes <= 0 || segmentBytes <= 0) {
      throw new IllegalArgumentException("spool sizes must be positive");
    }
  }
}
