package org.strata.audit.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Writer;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.strata.audit.chain.ChainEntry;
import org.strata.audit.chain.Checkpoint;
import org.strata.audit.chain.ExportFormat;
import org.strata.audit.chain.SigningKeys;
import org.strata.audit.config.CheckpointKey;
import org.strata.audit.repository.AuditTrailRepository;
import org.strata.audit.repository.ChainCursors;

/**
 * Writes the chain as an export ({@link ExportFormat}): every record, those of tenants the caller
 * may not see without their content, so the whole chain can still be verified offline.
 */
@ApplicationScoped
public class ChainExport {
  private final AuditTrailRepository repository;
  private final CheckpointKey key;

  ChainExport(AuditTrailRepository repository, CheckpointKey key) {
    this.repository = repository;
    this.key = key;
  }

  /** Every trusted key (current and retired): the export's checkpoints may name any of them. */
  private Map<String, String> publicKeysPem() {
    Map<String, String> pem = new TreeMap<>();
    key.trustedKeys().forEach((id, k) -> pem.put(id, SigningKeys.publicPem(k)));
    return pem;
  }

  /** Streams the export to {@code out}. */
  public void write(Set<String> visibleTenants, Writer out) throws SQLException, IOException {
    AuditTrailRepository.Head anchor = repository.anchor();
    long head = repository.head().seq();
    // Read before the records: every checkpoint then counts records the export holds.
    List<Checkpoint> checkpoints = repository.checkpoints();
    out.write(ExportFormat.header(anchor.seq(), anchor.hash(), head, publicKeysPem()));
    try (ChainCursors cursors = repository.cursors()) {
      Iterator<ChainEntry> it = cursors.open(visibleTenants);
      while (it.hasNext()) {
        out.write(ExportFormat.record(it.next()));
      }
    }
    for (Checkpoint c : checkpoints) {
      out.write(ExportFormat.checkpoint(c));
    }
    out.flush();
  }
}
