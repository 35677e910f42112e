package org.strata.tiering.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.tiering.repository.StudyAccessRepository;
import org.strata.tiering.service.StudyReads;

/**
 * The audit trail ({@code strata.audit.record}, group {@code strata-storage-tiering-access}), a
 * poll's records at a time: each study read is written once per poll with its latest read, before
 * the offsets are committed (ADR 0072). Only tenant, study UIDs, event type, action, outcome and
 * time are used; the record's patients and query (PHI) are neither kept nor logged.
 */
@ApplicationScoped
public class AuditReadConsumer {
  private static final Logger LOG = Logger.getLogger(AuditReadConsumer.class);

  private final StudyAccessRepository access;

  public AuditReadConsumer(StudyAccessRepository access) {
    this.access = access;
  }

  @Incoming("audit-reads")
  @Blocking
  public void consume(List<byte[]> payloads) throws SQLException {
    StudyReads reads = new StudyReads();
    Instant now = Instant.now();
    for (byte[] payload : payloads) {
      try {
        reads.add(EventCodec.decode(payload, AuditRecord.class), now);
      } catch (EventFormatException e) {
        // A newer or broken record: not a read this service can date; the audit service keeps it.
        LOG.debugf("audit record not read for last access (%s)", e.reason());
      }
    }
    if (!reads.isEmpty()) {
      // A failed write fails the batch: its offsets are not committed, so it is read again.
      access.recordReads(reads.latest());
      LOG.debugf("last access of %d studies recorded", reads.studies().size());
    }
  }
}
