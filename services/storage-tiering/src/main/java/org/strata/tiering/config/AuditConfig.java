package org.strata.tiering.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** {@code strata.audit.*}: how this service records access to patient data (libs/audit). */
@ConfigMapping(prefix = "strata.audit")
public interface AuditConfig {
  /** Record access at all; off only for the benchmark's baseline. */
  @WithDefault("true")
  boolean enabled();

  /** The tenant of records whose caller has none (service start, a failed sign-in). */
  @WithDefault("local")
  String defaultTenant();

  Spool spool();

  interface Spool {
    /** The spool's directory: on a persistent volume, one per service instance. */
    @WithDefault("data/audit-spool/storage-tiering")
    Path dir();

    /** Records waiting for Kafka may take this much disk; then {@code when-full} applies. */
    @WithDefault("256M")
    MemorySize maxSize();

    /** Size of one spool file. */
    @WithDefault("4M")
    MemorySize segmentSize();

    /** {@code refuse} (fail closed: 503, DIMSE failure) or {@code drop} (ADR 0035). */
    @WithDefault("refuse")
    String whenFull();

    /** Force each record to disk before the access is answered. */
    @WithDefault("true")
    boolean fsync();
  }
}
