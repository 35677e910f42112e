package org.strata.query.wado;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.strata.indexschema.IndexJoins;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.ObjectLocationTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;
import org.strata.query.qido.TenantScope;

/**
 * Finds the stored instances of a study, series or instance in the index, limited to the caller's
 * scope (ADR 0025): every table of the join is filtered by the caller's tenants (the leading column
 * of the natural keys), and the study by the scope's condition (tenant seen whole, or one of the
 * caller's access labels). A study outside the scope is not found: 404, never 403. A caller of
 * several tenants holding the same UIDs in two of them gets the first tenant's (by name). Instances
 * without an {@code object_location} row are not retrievable and left out. Order: series by number,
 * instances by number (then by index order), as QIDO-RS lists them.
 */
@ApplicationScoped
public class InstanceLocator {
  private static final Logger LOG = Logger.getLogger(InstanceLocator.class);

  private static final String SELECT =
      "select st."
          + StudyTable.TENANT
          + ", st."
          + StudyTable.STUDY_UID
          + ", se."
          + SeriesTable.SERIES_UID
          + ", "
          + IndexJoins.columns(
              "i", InstanceTable.SOP_INSTANCE_UID, InstanceTable.TRANSFER_SYNTAX_UID)
          + ", "
          + IndexJoins.columns(
              "l",
              ObjectLocationTable.BUCKET,
              ObjectLocationTable.OBJECT_KEY,
              ObjectLocationTable.SIZE,
              ObjectLocationTable.SIDECAR_KEY,
              ObjectLocationTable.FRAME_INDEX_KEY)
          + ", i."
          + InstanceTable.STORED_EVENT_ID
          + "::text, "
          // The study's patient, for the request's audit record (no query of its own).
          + IndexJoins.columns("p", PatientTable.PATIENT_ID, PatientTable.ISSUER)
          + " from "
          + StudyTable.NAME
          + " st"
          + IndexJoins.patientOfStudy("p", "st")
          + IndexJoins.seriesOfStudy("se", "st")
          + " and se."
          + SeriesTable.TENANT
          + " = st."
          + StudyTable.TENANT
          + IndexJoins.instancesOfSeries("i", "se")
          + " and i."
          + InstanceTable.TENANT
          + " = st."
          + StudyTable.TENANT
          + IndexJoins.locationOfInstance("l", "i")
          + " where st."
          + StudyTable.TENANT
          + " = any($1) and st."
          + StudyTable.STUDY_UID
          + " = $2";
  private static final String ORDER =
      " order by st."
          + StudyTable.TENANT
          + ", "
          + SeriesTable.byNumber("se")
          + ", "
          + InstanceTable.byNumber("i");

  /**
   * The instances found, all of one tenant and study, and the study's patient (ID and issuer, the
   * issuer possibly null), which the audit record names.
   */
  public record Located(
      String tenant, String patientId, String issuer, List<StoredInstance> instances) {}

  private final Pool pool;

  public InstanceLocator(Pool pool) {
    this.pool = pool;
  }

  /**
   * The scope's instances under the given UIDs ({@code series} and {@code instance} may be null for
   * a whole study or series), of the first tenant holding any. Blocking: called on a worker thread.
   */
  public Located find(TenantScope scope, String study, String series, String instance) {
    String sql = SELECT;
    List<Object> params = new ArrayList<>(List.of(scope.tenantArray(), study));
    if (series != null) {
      params.add(series);
      sql += " and se." + SeriesTable.SERIES_UID + " = $" + params.size();
      if (instance != null) {
        params.add(instance);
        sql += " and i." + InstanceTable.SOP_INSTANCE_UID + " = $" + params.size();
      }
    }
    sql += " and " + scope.studyConditionNumbered("st", params.size() + 1);
    params.addAll(List.of(scope.studyValues(false)));
    List<StoredInstance> found = new ArrayList<>();
    String tenant = null;
    String patientId = null;
    String issuer = null;
    for (Row r :
        pool.preparedQuery(sql + ORDER).execute(Tuple.from(params)).await().indefinitely()) {
      if (tenant == null) {
        tenant = r.getString(0);
        patientId = r.getString(11);
        issuer = r.getString(12);
      } else if (!tenant.equals(r.getString(0))) {
        break;
      }
      found.add(
          new StoredInstance(
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.getString(6),
              r.getLong(7),
              r.getString(8),
              r.getString(9),
              r.getString(10)));
    }
    return new Located(tenant, patientId, issuer, found);
  }

  /** The scope's instances under the UIDs, all of one tenant; 404 when there are none. */
  public Located locate(TenantScope scope, String study, String series, String sop) {
    Located located = find(scope, study, series, sop);
    String tenant = located.tenant();
    List<StoredInstance> found = new ArrayList<>();
    for (StoredInstance i : located.instances()) {
      // Defence in depth: an object outside the tenant's prefix is never served.
      if (Storage.underTenant(tenant, i.objectKey())) {
        found.add(i);
      } else {
        LOG.warnf("index row of tenant %s points outside the tenant's prefix; not served", tenant);
      }
    }
    if (found.isEmpty()) {
      throw WadoException.notFound(
          sop != null
              ? "no such instance"
              : series != null
                  ? "no such series, or no stored instances in it"
                  : "no such study," + " or no stored instances in it");
    }
    return new Located(tenant, located.patientId(), located.issuer(), found);
  }
}
