package org.strata.audit.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;
import org.strata.audit.config.AuditConfig;
import org.strata.audit.dicom.AuditMessageXml;
import org.strata.audit.repository.SyslogCursorRepository;
import org.strata.audit.repository.SyslogCursorRepository.Stored;
import org.strata.audit.syslog.SyslogFrame;
import org.strata.audit.syslog.SyslogTlsClient;
import org.strata.audit.syslog.TlsContexts;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;

/**
 * Sends every stored record, in chain order, as a DICOM audit message to the Audit Record
 * Repository (ADR 0038): rendered from its canonical form, framed as RFC 5424 syslog, delivered
 * over TLS in confirmed batches. The cursor in the audit schema moves only past confirmed batches,
 * so a repository that was away gets everything once it is back, some messages possibly twice (at
 * least once).
 */
@ApplicationScoped
public class SyslogForwarder {
  private static final Logger LOG = Logger.getLogger(SyslogForwarder.class);

  private final SyslogCursorRepository cursor;
  private final AuditConfig.Syslog config;
  private final Counter sent;
  private final Counter unrenderable;
  private final Counter failures;
  private final AtomicLong confirmed = new AtomicLong();
  private final long pid = ProcessHandle.current().pid();
  private ScheduledExecutorService timer;
  private SyslogTlsClient client;
  private String hostName;
  private long retryAt;
  private boolean failing;

  SyslogForwarder(SyslogCursorRepository cursor, AuditConfig config, MeterRegistry meters) {
    this.cursor = cursor;
    this.config = config.syslog();
    this.sent = messages(meters, "sent");
    this.unrenderable = messages(meters, "unrenderable");
    this.failures =
        Counter.builder("strata_audit_syslog_failures")
            .description("batches the Audit Record Repository did not confirm (sent again)")
            .register(meters);
    meters.gauge("strata_audit_syslog_cursor", confirmed);
  }

  private static Counter messages(MeterRegistry meters, String outcome) {
    return Counter.builder("strata_audit_syslog_messages")
        .description("DICOM audit messages, by what became of them")
        .tag("outcome", outcome)
        .register(meters);
  }

  void start(@Observes StartupEvent event)
      throws IOException, GeneralSecurityException, SQLException {
    if (config.host().isEmpty()) {
      LOG.info("no Audit Record Repository configured (strata.audit.syslog.host): none sent");
      return;
    }
    String trustStore =
        config
            .trustStore()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "strata.audit.syslog.trust-store is required with syslog.host"));
    SSLContext tls =
        TlsContexts.of(
            Path.of(trustStore),
            password(config.trustStorePassword().orElse(null)),
            config.keyStore().map(Path::of).orElse(null),
            password(config.keyStorePassword().orElse(null)));
    client =
        new SyslogTlsClient(
            tls,
            config.host().get(),
            config.port(),
            config.connectTimeout(),
            config.confirmTimeout());
    hostName = config.hostName().orElseGet(SyslogForwarder::localHostName);
    confirmed.set(cursor.cursor());
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("audit-syslog").unstarted(r));
    long every = config.pollEvery().toMillis();
    timer.scheduleWithFixedDelay(this::sendWaiting, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Sends batches until none is full (nothing more waiting); after a failure, waits. */
  private void sendWaiting() {
    if (System.nanoTime() - retryAt < 0) {
      return;
    }
    try {
      while (cursor.sendNext(config.batch(), this::send) == config.batch()) {
        // a full batch: more may be waiting
      }
      if (failing) {
        failing = false;
        LOG.infof(
            "Audit Record Repository %s:%d confirms again", config.host().get(), config.port());
      }
    } catch (IOException | SQLException | RuntimeException e) {
      failures.increment();
      retryAt = System.nanoTime() + config.retryAfter().toNanos();
      // Once per outage at WARN: a repository away for hours must not flood the log.
      LOG.logf(
          failing ? Logger.Level.DEBUG : Logger.Level.WARN,
          "Audit Record Repository %s:%d did not confirm a batch (%s); sending again every %s",
          config.host().get(),
          config.port(),
          e.toString(),
          config.retryAfter());
      failing = true;
    }
  }

  private void send(List<Stored> batch) throws IOException {
    List<byte[]> frames = new ArrayList<>(batch.size());
    int skipped = 0;
    for (Stored s : batch) {
      AuditRecord r;
      try {
        r = EventCodec.decode(s.canonical(), AuditRecord.class);
      } catch (EventFormatException | IllegalArgumentException e) {
        // Only a record edited in the database reads wrong; verification reports it.
        LOG.warnf("audit record seq %d is unreadable, not sent as a DICOM audit message", s.seq());
        skipped++;
        continue;
      }
      frames.add(
          SyslogFrame.of(
              r.occurredAt(),
              hostName,
              r.service() == null ? "strata-audit" : r.service(),
              pid,
              r.outcome() != AuditRecord.Outcome.SUCCESS,
              AuditMessageXml.render(r)));
    }
    if (!frames.isEmpty()) {
      client.deliver(frames);
    }
    sent.increment(frames.size());
    unrenderable.increment(skipped);
    confirmed.set(batch.get(batch.size() - 1).seq());
  }

  private static char[] password(String value) {
    return value == null ? null : value.toCharArray();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "-";
    }
  }
}
