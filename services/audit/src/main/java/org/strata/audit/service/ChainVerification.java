package org.strata.audit.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.strata.audit.chain.ChainVerifier;
import org.strata.audit.chain.VerificationReport;
import org.strata.audit.config.CheckpointKey;
import org.strata.audit.repository.AuditTrailRepository;
import org.strata.audit.repository.ChainCursors;

/**
 * Verifies the chain in PostgreSQL against the service's checkpoint key; the last outcome is the
 * gauge {@code strata_audit_chain_valid} (1 intact, 0 broken, -1 not verified since start).
 */
@ApplicationScoped
public class ChainVerification {
  private final AuditTrailRepository repository;
  private final ChainVerifier verifier;
  private final AtomicInteger state = new AtomicInteger(-1);

  ChainVerification(AuditTrailRepository repository, CheckpointKey key, MeterRegistry meters) {
    this.repository = repository;
    this.verifier = new ChainVerifier(key.trustedKeys());
    meters.gauge("strata_audit_chain_valid", state);
  }

  public VerificationReport verify() throws SQLException {
    AuditTrailRepository.Head anchor = repository.anchor();
    // The head first: records appended while the chain is read only make it longer than the head.
    long head = repository.head().seq();
    VerificationReport report;
    try (ChainCursors cursors = repository.cursors()) {
      report =
          verifier.verify(
              anchor.seq(),
              anchor.hash(),
              () -> cursors.open(null),
              repository.checkpoints(),
              head);
    }
    state.set(report.valid() ? 1 : 0);
    return report;
  }
}
