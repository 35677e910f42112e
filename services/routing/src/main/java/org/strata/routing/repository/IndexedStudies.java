package org.strata.routing.repository;

import static org.strata.indexschema.IndexJoins.columns;
import static org.strata.indexschema.IndexJoins.instancesOfSeries;
import static org.strata.indexschema.IndexJoins.locationOfInstance;
import static org.strata.indexschema.IndexJoins.patientOfStudy;
import static org.strata.indexschema.IndexJoins.seriesOfStudy;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.strata.events.RoutingJob;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.ObjectLocationTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

/**
 * What a manual export sends, read from the index schema (libs/index-schema's contract) on a
 * read-only connection: index is its one writer (ADR 0018). Only retrievable instances (with an
 * object location) of the tenant's study.
 */
@ApplicationScoped
public class IndexedStudies {
  private static final String SQL =
      "select "
          + columns("se", SeriesTable.SERIES_UID)
          + ", "
          + columns(
              "i",
              InstanceTable.SOP_INSTANCE_UID,
              InstanceTable.SOP_CLASS_UID,
              InstanceTable.TRANSFER_SYNTAX_UID)
          + ", "
          + columns("l", ObjectLocationTable.BUCKET, ObjectLocationTable.OBJECT_KEY)
          + ", "
          + columns("p", PatientTable.PATIENT_ID, PatientTable.ISSUER)
          + " from "
          + StudyTable.NAME
          + " st"
          + patientOfStudy("p", "st")
          + seriesOfStudy("se", "st")
          + instancesOfSeries("i", "se")
          + locationOfInstance("l", "i")
          + " where st."
          + StudyTable.TENANT
          + " = ? and st."
          + StudyTable.STUDY_UID
          + " = ? and (cast(? as text) is null or se."
          + SeriesTable.SERIES_UID
          + " = ?) and (cast(? as text[]) is null or i."
          + InstanceTable.SOP_INSTANCE_UID
          + " = any(cast(? as text[]))) order by se.pk, i.pk limit ?";

  /** A study's instances to send, with its patient (empty: the tenant has no such study). */
  public record Selection(
      List<RoutingJob.Instance> instances, String patientId, String issuerOfPatientId) {}

  private final AgroalDataSource dataSource;

  public IndexedStudies(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The retrievable instances of {@code study} (of {@code series} only, unless null) in {@code
   * tenant}, at most {@code limit}.
   */
  public Selection find(String tenant, String study, String series, int limit) throws SQLException {
    return find(tenant, study, series, null, limit);
  }

  /**
   * The same, of the listed instances only (all of the study or series when {@code instances} is
   * null).
   */
  public Selection find(
      String tenant, String study, String series, List<String> instances, int limit)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(SQL)) {
        ps.setString(1, tenant);
        ps.setString(2, study);
        ps.setString(3, series);
        ps.setString(4, series);
        java.sql.Array listed =
            instances == null ? null : c.createArrayOf("text", instances.toArray());
        ps.setArray(5, listed);
        ps.setArray(6, listed);
        ps.setInt(7, limit);
        List<RoutingJob.Instance> out = new ArrayList<>();
        String patient = null;
        String issuer = null;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new RoutingJob.Instance(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6)));
            patient = rs.getString(7);
            issuer = rs.getString(8);
          }
        }
        return new Selection(out, patient, issuer);
      } finally {
        c.setReadOnly(false);
      }
    }
  }
}
