package org.strata.audit.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;

/** Searches of the audit trail (FHIR AuditEvent, patient access report): newest first. */
@ApplicationScoped
public class AuditSearchRepository {
  private final DataSource dataSource;

  AuditSearchRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Up to {@code limit} matching records after skipping {@code offset}, newest first. */
  public List<AuditRecord> search(AuditQuery query, int limit, long offset) throws SQLException {
    List<Object> bound = new ArrayList<>();
    String sql =
        "SELECT canonical FROM audit.record WHERE "
            + query.where(bound)
            + " ORDER BY occurred_at DESC, seq DESC LIMIT ? OFFSET ?";
    bound.add(limit);
    bound.add(offset);
    List<AuditRecord> found = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      c.setReadOnly(true);
      for (int i = 0; i < bound.size(); i++) {
        Object v = bound.get(i);
        if (v instanceof String[] array) {
          p.setArray(i + 1, c.createArrayOf("text", array));
        } else {
          p.setObject(i + 1, v);
        }
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(EventCodec.decode(rs.getBytes(1), AuditRecord.class));
        }
      }
    }
    return found;
  }
}
