package org.strata.routing.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditSettings;
import org.strata.audit.WhenSpoolFull;

/**
 * Routing's {@link AuditLog} (libs/audit, ADR 0035): export records and the service's start and
 * stop, through a local spool ({@code strata.audit.spool.*}, as in the other services).
 */
@Singleton
public class AuditLogProducer {
  static final String SERVICE = "strata-routing";

  @Produces
  @Singleton
  AuditLog auditLog(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "strata.audit.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "strata.audit.default-tenant", defaultValue = "local") String tenant,
      @ConfigProperty(name = "strata.audit.spool.dir", defaultValue = "data/audit-spool/routing")
          Path spool,
      @ConfigProperty(name = "strata.audit.spool.max-size", defaultValue = "256M") MemorySize max,
      @ConfigProperty(name = "strata.audit.spool.segment-size", defaultValue = "4M")
          MemorySize segment,
      // refuse: no job starts while its record could not be kept; drop: jobs run, records dropped
      @ConfigProperty(name = "strata.audit.spool.when-full", defaultValue = "refuse")
          String whenFull,
      @ConfigProperty(name = "strata.audit.spool.fsync", defaultValue = "true") boolean fsync) {
    if (!enabled) {
      return AuditLog.disabled(SERVICE);
    }
    return AuditLog.open(
        new AuditSettings(
            SERVICE,
            tenant,
            bootstrap,
            spool,
            max.asLongValue(),
            segment.asLongValue(),
            WhenSpoolFull.parse(whenFull),
            fsync));
  }

  void started(@Observes StartupEvent event, AuditLog log) {
    log.recordStart();
  }

  void stopping(@Observes ShutdownEvent event, AuditLog log) {
    log.recordStop();
  }

  void close(@Disposes AuditLog log) {
    log.close();
  }
}
