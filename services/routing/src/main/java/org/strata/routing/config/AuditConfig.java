package org.strata.routing.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** {@code strata.audit.*}: where routing's export records are spooled (libs/audit, ADR 0035). */
@ConfigMapping(prefix = "strata.audit")
public interface AuditConfig {
  /** Record exports at all; off only for a benchmark's baseline. */
  @WithDefault("true")
  boolean enabled();

  /** The tenant of records without one (service start and stop). */
  @WithDefault("local")
  String defaultTenant();

  Spool spool();

  interface Spool {
    /** On a persistent volume, one per service instance. */
    @WithDefault("data/audit-spool/routing")
    Path dir();

    @WithDefault("256M")
    MemorySize maxSize();

    @WithDefault("4M")
    MemorySize segmentSize();

    /**
     * {@code refuse}: no job starts while its record could not be kept; {@code drop}: jobs run and
     * records are dropped.
     */
    @WithDefault("refuse")
    String whenFull();

    @WithDefault("true")
    boolean fsync();
  }
}
