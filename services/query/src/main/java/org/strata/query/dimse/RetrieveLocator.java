package org.strata.query.dimse;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.strata.indexschema.IndexJoins;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.ObjectLocationTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;
import org.strata.query.qido.TenantScope;

/**
 * The stored instances a C-MOVE or C-GET identifier names, limited to one tenant (every table of
 * the join is filtered by it) and, for a caller limited to departments, to the studies carrying one
 * of its access labels. SQL text only from constants; the identifier's values are bind parameters.
 * Instances without {@code object_location} are not retrievable and left out. Order: studies as
 * indexed, series by number, instances by number.
 */
@ApplicationScoped
public class RetrieveLocator {
  private static final String SELECT =
      "select "
          + IndexJoins.columns(
              "i",
              InstanceTable.SOP_CLASS_UID,
              InstanceTable.SOP_INSTANCE_UID,
              InstanceTable.TRANSFER_SYNTAX_UID)
          + ", "
          + IndexJoins.columns("l", ObjectLocationTable.BUCKET, ObjectLocationTable.OBJECT_KEY)
          + ", "
          + IndexJoins.columns("st", StudyTable.STUDY_UID)
          + ", "
          + IndexJoins.columns("p", PatientTable.PATIENT_ID, PatientTable.ISSUER)
          + " from "
          + InstanceTable.NAME
          + " i"
          + IndexJoins.seriesOfInstance("se", "i")
          + " and se."
          + SeriesTable.TENANT
          + " = $1"
          + IndexJoins.studyOfSeries("st", "se")
          + " and st."
          + StudyTable.TENANT
          + " = $1"
          + IndexJoins.patientOfStudy("p", "st")
          + " and p."
          + PatientTable.TENANT
          + " = $1"
          + IndexJoins.locationOfInstance("l", "i")
          + " where i."
          + InstanceTable.TENANT
          + " = $1";
  private static final String ORDER =
      " order by st."
          + StudyTable.PK
          + ", "
          + SeriesTable.byNumber("se")
          + ", "
          + InstanceTable.byNumber("i");

  /** One retrievable instance and where its object is. */
  public record Located(
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      String bucket,
      String objectKey,
      String studyUid,
      String patientId,
      String issuer) {}

  private final Pool pool;

  public RetrieveLocator(Pool pool) {
    this.pool = pool;
  }

  /**
   * Instances matching all the given keys (null: not restricted); at least one must be given.
   * Blocking.
   *
   * @param patientId single value matching
   * @param studies UID list matching, as {@code series} and {@code instances}
   */
  public List<Located> find(
      String tenant, String patientId, String[] studies, String[] series, String[] instances) {
    return find(tenant, TenantScope.of(tenant), patientId, studies, series, instances);
  }

  /**
   * As {@link #find(String, String, String[], String[], String[])}, the studies also limited to
   * {@code scope}'s access labels when it has any (an AE limited to departments, ADR 0061): a study
   * outside is not found, as for QIDO-RS.
   */
  public List<Located> find(
      String tenant,
      TenantScope scope,
      String patientId,
      String[] studies,
      String[] series,
      String[] instances) {
    StringBuilder sql = new StringBuilder(SELECT);
    List<Object> params = new ArrayList<>();
    params.add(tenant);
    int keys = 1;
    if (scope.limitsByLabel()) {
      sql.append(" and ").append(scope.studyConditionNumbered("st", params.size() + 1));
      params.addAll(List.of(scope.studyValues(false)));
      keys = params.size();
    }
    if (patientId != null) {
      params.add(patientId);
      sql.append(" and p." + PatientTable.PATIENT_ID + " = $").append(params.size());
    }
    if (studies != null) {
      params.add(studies);
      sql.append(" and st." + StudyTable.STUDY_UID + " = any($").append(params.size()).append(')');
    }
    if (series != null) {
      params.add(series);
      sql.append(" and se." + SeriesTable.SERIES_UID + " = any($")
          .append(params.size())
          .append(')');
    }
    if (instances != null) {
      params.add(instances);
      sql.append(" and i." + InstanceTable.SOP_INSTANCE_UID + " = any($")
          .append(params.size())
          .append(')');
    }
    if (params.size() == keys) {
      throw new IllegalArgumentException("no retrieve key");
    }
    List<Located> found = new ArrayList<>();
    for (Row r :
        pool.preparedQuery(sql.append(ORDER).toString())
            .execute(Tuple.from(params))
            .await()
            .indefinitely()) {
      found.add(
          new Located(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.getString(6),
              r.getString(7)));
    }
    return found;
  }
}
