package org.strata.audit.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import org.strata.audit.AuditEntry;
import org.strata.audit.config.AuditConfig;
import org.strata.audit.repository.AuditTrailRepository;

/**
 * Appends the service's own records (reads of the trail, DICOM Audit Log Used) straight to the
 * chain, in the request, before the answer leaves (ADR 0047): the audit service is the chain's
 * writer, so its records need neither the spool nor Kafka, and a read whose record cannot be
 * appended fails with the database (503) instead of going unrecorded.
 */
@ApplicationScoped
public class TrailReadRecorder {
  static final String SERVICE = "strata-audit";

  private final AuditTrailRepository repository;
  private final CheckpointSigner signer;
  private final AuditConfig config;

  TrailReadRecorder(AuditTrailRepository repository, CheckpointSigner signer, AuditConfig config) {
    this.repository = repository;
    this.signer = signer;
    this.config = config;
  }

  /** Appends the entry as one record of the chain; returns once it is committed. */
  public void record(AuditEntry entry) throws SQLException {
    repository.append(
        List.of(entry.toRecord(SERVICE, config.defaultTenant())),
        config.checkpoint().everyRecords(),
        signer);
  }
}
