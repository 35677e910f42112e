package org.strata.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.http.auth.CallerIdentity;

/**
 * Where a service records what it does with patient data. {@link #record} puts the record into the
 * local spool (on disk before it returns) and a background forwarder sends it to Kafka, so a read
 * never waits for Kafka and no record is lost while Kafka is away. When the spool is full the
 * configured {@link WhenSpoolFull} applies (ADR 0035): by default the access is refused.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** The share of the spool's bound from which {@link #nearFull} says so. */
  public static final double NEAR_FULL = 0.9;

  /** Room a store's records need at least (a few records with every field). */
  private static final long ROOM_FOR_ONE = 16 * 1024;

  private final String service;
  private final AuditSettings settings;
  private final AuditSpool spool;
  private final KafkaForwarder forwarder;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  private AuditLog(
      String service, AuditSettings settings, AuditSpool spool, KafkaForwarder forwarder) {
    this.service = service;
    this.settings = settings;
    this.spool = spool;
    this.forwarder = forwarder;
  }

  /** Opens (or recovers) the spool and starts sending it to Kafka. */
  public static AuditLog open(AuditSettings settings) {
    try {
      AuditSpool spool =
          new AuditSpool(
              settings.spoolDir(),
              settings.maxSpoolBytes(),
              settings.segmentBytes(),
              settings.fsync());
      KafkaForwarder forwarder =
          new KafkaForwarder(spool, settings.kafkaBootstrapServers(), settings.service());
      forwarder.start();
      return new AuditLog(settings.service(), settings, spool, forwarder);
    } catch (IOException e) {
      throw new UncheckedIOException("audit spool " + settings.spoolDir() + " unusable", e);
    }
  }

  /** A log that records nothing: auditing switched off (the benchmark's baseline). */
  public static AuditLog disabled(String service) {
    return new AuditLog(service, null, null, null);
  }

  /** Whether records are kept; {@code false} for {@link #disabled}. */
  public boolean isEnabled() {
    return spool != null;
  }

  /** The identity a service records its own actions under (start, stop, background work). */
  public CallerIdentity serviceIdentity() {
    return new CallerIdentity(service, Set.of(), Set.of(), null, null);
  }

  /** Records the service's start (DICOM Application Activity, "Application Start"). */
  public void recordStart() {
    record(AuditEntry.serviceStarted(serviceIdentity()));
  }

  /** Records the service's stop; a record that cannot be kept does not keep it from stopping. */
  public void recordStop() {
    try {
      record(AuditEntry.serviceStopped(serviceIdentity()));
    } catch (RuntimeException e) {
      LOG.warn("application stop not recorded: {}", e.getMessage());
    }
  }

  /**
   * Records one entry; returns once it is on disk.
   *
   * @throws AuditUnavailableException it could not be kept and the policy is to refuse the access
   */
  public void record(AuditEntry entry) {
    record(List.of(entry));
  }

  /** Records several entries of one request or association with one write to disk. */
  public void record(List<AuditEntry> entries) {
    if (spool == null || entries.isEmpty()) {
      return;
    }
    List<AuditSpool.Line> lines = new ArrayList<>(entries.size());
    for (AuditEntry entry : entries) {
      AuditRecord record = entry.toRecord(settings.service(), settings.defaultTenant());
      lines.add(new AuditSpool.Line(record.eventId(), EventCodec.encode(record)));
    }
    try {
      spool.append(lines);
      recorded.addAndGet(lines.size());
    } catch (AuditSpool.SpoolFullException | IOException e) {
      unkept(lines.size(), e);
    }
  }

  private void unkept(int count, Exception cause) {
    if (settings.whenFull() == WhenSpoolFull.REFUSE) {
      refused.addAndGet(count);
      LOG.warn("access refused: {}", cause.getMessage());
      throw new AuditUnavailableException(AuditUnavailableException.REASON, cause);
    }
    dropped.addAndGet(count);
    LOG.error(
        "{} audit records dropped (strata.audit.spool.when-full=drop): {}",
        count,
        cause.getMessage());
  }

  /**
   * Whether a record would fit in the spool now: a store checks it before it accepts data, so that
   * a full spool refuses the store up front rather than after the instances are kept (ADR 0035).
   * Always true when the policy is {@link WhenSpoolFull#DROP} or auditing is off.
   */
  public boolean hasRoom() {
    return spool == null
        || settings.whenFull() == WhenSpoolFull.DROP
        || spool.pendingBytes() < settings.maxSpoolBytes() - ROOM_FOR_ONE;
  }

  /** Records waiting in the spool for Kafka. */
  public long pendingRecords() {
    return spool == null ? 0 : spool.pendingRecords();
  }

  /** Bytes of the records waiting in the spool (what its bound counts). */
  public long pendingBytes() {
    return spool == null ? 0 : spool.pendingBytes();
  }

  /** The spool's bound in bytes; 0 when auditing is off. */
  public long maxSpoolBytes() {
    return spool == null ? 0 : settings.maxSpoolBytes();
  }

  /**
   * Whether the spool is near full (at least {@link #NEAR_FULL} of its bound, or no room for a
   * store's records): under {@link WhenSpoolFull#REFUSE} accesses are about to be refused, so the
   * service reports itself not ready and traffic goes to instances that can still record.
   */
  public boolean nearFull() {
    return spool != null
        && settings.whenFull() == WhenSpoolFull.REFUSE
        && (!hasRoom() || spool.pendingBytes() >= NEAR_FULL * settings.maxSpoolBytes());
  }

  /** Records kept since start. */
  public long recorded() {
    return recorded.get();
  }

  /** Accesses refused because their record could not be kept. */
  public long refused() {
    return refused.get();
  }

  /** Records dropped under {@link WhenSpoolFull#DROP}. */
  public long dropped() {
    return dropped.get();
  }

  /** Whether the last attempt to send reached Kafka. */
  public boolean kafkaReachable() {
    return forwarder == null || forwarder.connected();
  }

  /** Sends what it can within a few seconds, then stops; the rest waits in the spool. */
  @Override
  public void close() {
    if (spool == null) {
      return;
    }
    forwarder.stop(Duration.ofSeconds(3));
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("audit spool close", e);
    }
  }
}
