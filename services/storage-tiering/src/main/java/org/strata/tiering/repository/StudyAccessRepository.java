package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.strata.tiering.service.StudyReads.StudyKey;

/**
 * {@code tiering.study_access}: each study's last successful read (ADR 0072). Writes only move a
 * study's time forward, so a record replayed after a restart changes nothing.
 */
@ApplicationScoped
public class StudyAccessRepository {
  private static final String UPSERT =
      "insert into tiering.study_access (tenant, study_uid, last_access) values (?, ?, ?)"
          + " on conflict (tenant, study_uid) do update set last_access ="
          + " greatest(tiering.study_access.last_access, excluded.last_access)";

  private final AgroalDataSource dataSource;

  public StudyAccessRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One row per study, in one transaction. */
  public void recordReads(Map<StudyKey, Instant> latest) throws SQLException {
    // In key order, so two writers never wait on each other's rows in opposite orders.
    List<Map.Entry<StudyKey, Instant>> rows =
        latest.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<StudyKey, Instant> e) -> e.getKey().tenant())
                    .thenComparing(e -> e.getKey().studyUid()))
            .toList();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        for (Map.Entry<StudyKey, Instant> e : rows) {
          ps.setString(1, e.getKey().tenant());
          ps.setString(2, e.getKey().studyUid());
          ps.setTimestamp(3, Timestamp.from(e.getValue()));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
