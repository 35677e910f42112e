package org.strata.routing.config;

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

/** Routing's {@link AuditLog}: export records, and the records of its start and stop. */
@Singleton
public class AuditLogProducer {
  static final String SERVICE = "strata-routing";

  @Produces
  @Singleton
  AuditLog auditLog(
      AuditConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    if (!config.enabled()) {
      return AuditLog.disabled(SERVICE);
    }
    var spool = config.spool();
    return AuditLog.open(
        new AuditSettings(
            SERVICE,
            config.defaultTenant(),
            bootstrap,
            spool.dir(),
            spool.maxSize().asLongValue(),
            spool.segmentSize().asLongValue(),
            WhenSpoolFull.parse(spool.whenFull()),
            spool.fsync()));
  }

  void started(@Observes StartupEvent event, AuditLog log) {
    log.record(AuditEntry.serviceStarted(log.serviceIdentity()));
  }

  void stopping(@Observes ShutdownEvent event, AuditLog log) {
    try {
      log.record(AuditEntry.serviceStopped(log.serviceIdentity()));
    } catch (RuntimeException e) {
      // stopping anyway: a full spool must not keep the service from ending
    }
  }

  void close(@Disposes AuditLog log) {
    log.close();
  }
}
