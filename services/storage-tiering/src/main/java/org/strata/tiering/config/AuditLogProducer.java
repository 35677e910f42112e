package org.strata.tiering.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.audit.AuditEntry;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditSettings;
import org.strata.audit.WhenSpoolFull;

/**
 * The service's {@link AuditLog} (libs/audit): tier moves, legal holds and retention purges are
 * recorded through it (docs/audit.md), and the service's start and stop.
 */
@Singleton
public class AuditLogProducer {
  static final String SERVICE = "strata-storage-tiering";

  @Produces
  @Singleton
  AuditLog auditLog(
      AuditConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    if (!config.enabled()) {
      return AuditLog.disabled(SERVICE);
    }
    return AuditLog.open(
        new AuditSettings(
            SERVICE,
            config.defaultTenant(),
            bootstrap,
            config.spool().dir(),
            config.spool().maxSize().asLongValue(),
            config.spool().segmentSize().asLongValue(),
            WhenSpoolFull.parse(config.spool().whenFull()),
            config.spool().fsync()));
  }

  void started(@Observes StartupEvent event, AuditLog log) {
    log.record(AuditEntry.serviceStarted(log.serviceIdentity()));
  }

  void stopping(@Observes ShutdownEvent event, AuditLog log) {
    try {
      log.record(AuditEntry.serviceStopped(log.serviceIdentity()));
    } catch (RuntimeException e) {
      // Stopping anyway: a full spool must not keep the service from ending.
    }
  }

  void close(@Disposes AuditLog log) {
    log.close();
  }
}
