package org.strata.servicekit.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.audit.AuditLog;
import org.strata.audit.AuditSettings;
import org.strata.audit.RefusalAlerts;
import org.strata.audit.SpoolMetric;
import org.strata.audit.WhenSpoolFull;

/**
 * The service's {@link AuditLog} (libs/audit), named by {@code quarkus.application.name}, and the
 * records of its start and stop; the spool's depth as metrics.
 */
@Singleton
public class AuditLogProducer {
  @Produces
  @Singleton
  AuditLog auditLog(
      AuditLogConfig config,
      @ConfigProperty(name = "quarkus.application.name") String service,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    if (!config.enabled()) {
      return AuditLog.disabled(service);
    }
    return AuditLog.open(
        new AuditSettings(
            service,
            config.defaultTenant(),
            bootstrap,
            config.spool().dir(),
            config.spool().maxSize().asLongValue(),
            config.spool().segmentSize().asLongValue(),
            WhenSpoolFull.parse(config.spool().whenFull()),
            config.spool().fsync()));
  }

  @Produces
  @Singleton
  RefusalAlerts refusalAlerts(AuditLog log, AuditLogConfig config) {
    return new RefusalAlerts(log, config.alertWindow());
  }

  void started(@Observes StartupEvent event, AuditLog log, MeterRegistry meters) {
    spoolMetrics(log, meters);
    log.recordStart();
  }

  /** The spool's depth and what it refused or dropped (libs/audit's SpoolMetric). */
  static void spoolMetrics(AuditLog log, MeterRegistry meters) {
    for (SpoolMetric m : SpoolMetric.ALL) {
      if (m.counter()) {
        FunctionCounter.builder(m.name(), log, m.value())
            .description(m.description())
            .register(meters);
      } else {
        Gauge.builder(m.name(), log, m.value()).description(m.description()).register(meters);
      }
    }
  }

  void stopping(@Observes ShutdownEvent event, AuditLog log) {
    log.recordStop(); // a full spool does not keep the service from ending
  }

  void close(@Disposes AuditLog log) {
    log.close();
  }
}
