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
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.StudyTable;

/**
 * {@code tiering.patient_hold}: holds on every study of a patient (Patient ID, optionally its
 * issuer). A study is covered while the index links it to the patient, and after index deleted it
 * when it was recorded in {@code patient_hold_study} (at placement, at each retention evaluation).
 */
@ApplicationScoped
public class PatientHoldRepository {
  private static final String PATIENT_STUDIES =
      " from "
          + StudyTable.NAME
          + " st join "
          + PatientTable.NAME
          + " p on p.pk = st."
          + StudyTable.PATIENT_PK
          + " where p.tenant = h.tenant and p."
          + PatientTable.PATIENT_ID
          + " = h.patient_id and (h.issuer is null or p."
          + PatientTable.ISSUER
          + " = h.issuer) and st.tenant = h.tenant";

  private final AgroalDataSource dataSource;

  public PatientHoldRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A hold on a patient in force; {@code studies}: how many of the patient's studies it covers. */
  public record PatientHold(
      String tenant,
      String patientId,
      String issuer,
      String reason,
      String setBy,
      Instant setAt,
      long studies) {}

  /** The patient hold covering a study, if any: its reason, who set it and when. */
  public Optional<LegalHoldRepository.Hold> covering(String tenant, String study)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select h.reason, h.set_by, h.set_at from tiering.patient_hold h where"
                    + " h.lifted_at is null and h.tenant = ? and (exists (select 1 from"
                    + " tiering.patient_hold_study s where s.hold_id = h.id and s.study_uid = ?)"
                    + " or exists (select 1"
                    + PATIENT_STUDIES
                    + " and st.study_uid = ?)) limit 1")) {
      ps.setString(1, tenant);
      ps.setString(2, study);
      ps.setString(3, study);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new LegalHoldRepository.Hold(
                    tenant,
                    study,
                    "patient hold: " + rs.getString(1),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant()))
            : Optional.empty();
      }
    }
  }

  /** The hold in force on the patient, if any. */
  public Optional<PatientHold> inForce(String tenant, String patientId, String issuer)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select h.reason, h.set_by, h.set_at, (select count(*) from"
                    + " tiering.patient_hold_study s where s.hold_id = h.id) from"
                    + " tiering.patient_hold h where h.lifted_at is null and h.tenant = ? and"
                    + " h.patient_id = ? and coalesce(h.issuer, '') = coalesce(?, '')")) {
      ps.setString(1, tenant);
      ps.setString(2, patientId);
      ps.setString(3, issuer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new PatientHold(
                    tenant,
                    patientId,
                    issuer,
                    rs.getString(1),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getLong(4)))
            : Optional.empty();
      }
    }
  }

  /** Holds the patient's studies; the hold already in force when there is one (kept as it is). */
  public PatientHold place(
      String tenant, String patientId, String issuer, String reason, String setBy)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into tiering.patient_hold (id, tenant, patient_id, issuer, reason, set_by)"
                    + " values (?, ?, ?, ?, ?, ?) on conflict do nothing")) {
      ps.setObject(1, UUID.randomUUID());
      ps.setString(2, tenant);
      ps.setString(3, patientId);
      ps.setString(4, issuer);
      ps.setString(5, reason);
      ps.setString(6, setBy);
      ps.executeUpdate();
    }
    recordStudies();
    return inForce(tenant, patientId, issuer).orElseThrow();
  }

  /**
   * Records the studies the index now has for every patient hold in force; returns how many new.
   */
  public int recordStudies() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into tiering.patient_hold_study (hold_id, study_uid) select h.id,"
                    + " st.study_uid from tiering.patient_hold h join lateral (select"
                    + " st.study_uid"
                    + PATIENT_STUDIES
                    + ") st on true where h.lifted_at is null on conflict do nothing")) {
      return ps.executeUpdate();
    }
  }

  /** Lifts the hold in force; false when there was none. */
  public boolean lift(String tenant, String patientId, String issuer, String liftedBy)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update tiering.patient_hold set lifted_by = ?, lifted_at = now() where tenant = ?"
                    + " and patient_id = ? and coalesce(issuer, '') = coalesce(?, '') and"
                    + " lifted_at is null")) {
      ps.setString(1, liftedBy);
      ps.setString(2, tenant);
      ps.setString(3, patientId);
      ps.setString(4, issuer);
      return ps.executeUpdate() == 1;
    }
  }
}
