package org.strata.tiering.repository;

import static org.strata.indexschema.IndexJoins.columns;
import static org.strata.indexschema.IndexJoins.instancesOfSeries;
import static org.strata.indexschema.IndexJoins.locationOfInstance;
import static org.strata.indexschema.IndexJoins.seriesOfInstance;
import static org.strata.indexschema.IndexJoins.seriesOfStudy;
import static org.strata.indexschema.IndexJoins.studyOfSeries;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.ObjectLocationTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

/**
 * Reads where the index says instances are (libs/index-schema's contract), on read-only
 * connections: index is the schema's one writer (ADR 0018); storage-tiering changes a location only
 * by publishing InstanceMoved.
 */
@ApplicationScoped
public class IndexLocations {
  private static final String COLUMNS =
      "select "
          + columns("st", StudyTable.TENANT, StudyTable.STUDY_UID)
          + ", "
          + columns("se", SeriesTable.SERIES_UID)
          + ", "
          + columns("i", InstanceTable.SOP_INSTANCE_UID, InstanceTable.VERSION)
          + ", "
          + columns(
              "l",
              ObjectLocationTable.BUCKET,
              ObjectLocationTable.OBJECT_KEY,
              ObjectLocationTable.SIDECAR_KEY,
              ObjectLocationTable.FRAME_INDEX_KEY,
              ObjectLocationTable.SIZE,
              ObjectLocationTable.SHA256)
          + ", "
          + columns("i", InstanceTable.SOP_CLASS_UID);

  private static final String OF_STUDY =
      COLUMNS
          + " from "
          + StudyTable.NAME
          + " st"
          + seriesOfStudy("se", "st")
          + instancesOfSeries("i", "se")
          + locationOfInstance("l", "i")
          + " where st.tenant = ? and st.study_uid = ? order by i.pk";

  private static final String OF_INSTANCE =
      COLUMNS
          + " from "
          + InstanceTable.NAME
          + " i"
          + seriesOfInstance("se", "i")
          + studyOfSeries("st", "se")
          + locationOfInstance("l", "i")
          + " where i.tenant = ? and i.sop_instance_uid = ?";

  private final ReadOnlyIndex index;

  public IndexLocations(ReadOnlyIndex index) {
    this.index = index;
  }

  /** Every retrievable instance of a study, with its location. */
  public List<IndexedInstance> ofStudy(String tenant, String study) throws SQLException {
    return read(OF_STUDY, tenant, study);
  }

  /** Where the index says the instance is now, or empty when it has no such instance. */
  public Optional<IndexedInstance> ofInstance(String tenant, String sop) throws SQLException {
    return read(OF_INSTANCE, tenant, sop).stream().findFirst();
  }

  /** Whether the index has the study (its row, with or without instances). */
  public boolean hasStudy(String tenant, String study) throws SQLException {
    return exists(
        "select 1 from "
            + StudyTable.NAME
            + " where "
            + StudyTable.TENANT
            + " = ? and "
            + StudyTable.STUDY_UID
            + " = ?",
        tenant,
        study);
  }

  /** The patient a study is filed under: its Patient ID and issuer (may be null), if any. */
  public record Patient(String id, String issuer) {}

  /** The study's patient as the index has it; empty without a study or a Patient ID. */
  public Optional<Patient> patientOf(String tenant, String study) throws SQLException {
    return index
        .list(
            "select p."
                + PatientTable.PATIENT_ID
                + ", p."
                + PatientTable.ISSUER
                + " from "
                + StudyTable.NAME
                + " st join "
                + PatientTable.NAME
                + " p on p."
                + PatientTable.PK
                + " = st."
                + StudyTable.PATIENT_PK
                + " where st."
                + StudyTable.TENANT
                + " = ? and st."
                + StudyTable.STUDY_UID
                + " = ?",
            ps -> {
              ps.setString(1, tenant);
              ps.setString(2, study);
            },
            rs -> new Patient(rs.getString(1), rs.getString(2)))
        .stream()
        .filter(p -> p.id() != null && !p.id().isBlank())
        .findFirst();
  }

  /** Whether any instance's location is this object (e.g. an instance stored again). */
  public boolean pointsAt(String bucket, String key) throws SQLException {
    return exists(
        "select 1 from "
            + ObjectLocationTable.NAME
            + " where "
            + ObjectLocationTable.BUCKET
            + " = ? and "
            + ObjectLocationTable.OBJECT_KEY
            + " = ? limit 1",
        bucket,
        key);
  }

  private boolean exists(String sql, String a, String b) throws SQLException {
    return !index
        .list(
            sql,
            ps -> {
              ps.setString(1, a);
              ps.setString(2, b);
            },
            rs -> 1)
        .isEmpty();
  }

  private List<IndexedInstance> read(String sql, String a, String b) throws SQLException {
    return index.list(
        sql,
        ps -> {
          ps.setString(1, a);
          ps.setString(2, b);
        },
        rs ->
            new IndexedInstance(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getLong(10),
                rs.getString(11),
                rs.getString(12)));
  }
}
