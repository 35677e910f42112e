package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code tiering.legal_hold}: holds on studies, in force until lifted (history kept); a study is
 * also held by a hold on its patient ({@link PatientHoldRepository}).
 */
@ApplicationScoped
public class LegalHoldRepository {
  private final AgroalDataSource dataSource;
  private final PatientHoldRepository patientHolds;

  public LegalHoldRepository(AgroalDataSource dataSource, PatientHoldRepository patientHolds) {
    this.dataSource = dataSource;
    this.patientHolds = patientHolds;
  }

  /** A hold in force. */
  public record Hold(String tenant, String studyUid, String reason, String setBy, Instant setAt) {}

  /** The hold in force on a study, its own or its patient's, if any. */
  public Optional<Hold> inForce(String tenant, String study) throws SQLException {
    Optional<Hold> own = ofStudy(tenant, study);
    return own.isPresent() ? own : patientHolds.covering(tenant, study);
  }

  /** The study's own hold in force (not its patient's), if any. */
  public Optional<Hold> ofStudy(String tenant, String study) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select tenant, study_uid, reason, set_by, set_at from tiering.legal_hold where"
                    + " tenant = ? and study_uid = ? and lifted_at is null")) {
      ps.setString(1, tenant);
      ps.setString(2, study);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Hold(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getTimestamp(5).toInstant()))
            : Optional.empty();
      }
    }
  }

  /** Puts a hold on a study; the one already in force when there is one (it is kept as it is). */
  public Hold place(String tenant, String study, String reason, String setBy) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into tiering.legal_hold (id, tenant, study_uid, reason, set_by) values (?,"
                    + " ?, ?, ?, ?) on conflict do nothing")) {
      ps.setObject(1, UUID.randomUUID());
      ps.setString(2, tenant);
      ps.setString(3, study);
      ps.setString(4, reason);
      ps.setString(5, setBy);
      ps.executeUpdate();
    }
    return ofStudy(tenant, study).orElseThrow();
  }

  /** Lifts the hold in force; false when there was none. */
  public boolean lift(String tenant, String study, String liftedBy) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update tiering.legal_hold set lifted_by = ?, lifted_at = now() where tenant = ?"
                    + " and study_uid = ? and lifted_at is null")) {
      ps.setString(1, liftedBy);
      ps.setString(2, tenant);
      ps.setString(3, study);
      return ps.executeUpdate() == 1;
    }
  }
}
