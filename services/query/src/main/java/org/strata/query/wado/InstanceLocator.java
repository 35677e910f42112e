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
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

/**
 * Finds the stored instances of a study, series or instance in the index, limited to one tenant:
 * every table of the join is filtered by {@code tenant} (the leading column of the natural keys).
 * Instances without an {@code object_location} row are not retrievable and left out. Order: series
 * by number, instances by number (then by index order), as QIDO-RS lists them.
 */
@ApplicationScoped
public class InstanceLocator {
  private static final Logger LOG = Logger.getLogger(InstanceLocator.class);

  private static final String SELECT =
      "select st."
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
          + "::text from "
          + StudyTable.NAME
          + " st"
          + IndexJoins.seriesOfStudy("se", "st")
          + " and se."
          + SeriesTable.TENANT
          + " = $1"
          + IndexJoins.instancesOfSeries("i", "se")
          + " and i."
          + InstanceTable.TENANT
          + " = $1"
          + IndexJoins.locationOfInstance("l", "i")
          + " where st."
          + StudyTable.TENANT
          + " = $1 and st."
          + StudyTable.STUDY_UID
          + " = $2";
  private static final String ORDER =
      " order by " + SeriesTable.byNumber("se") + ", " + InstanceTable.byNumber("i");

  private final Pool pool;

  public InstanceLocator(Pool pool) {
    this.pool = pool;
  }

  /**
   * The tenant's instances under the given UIDs ({@code series} and {@code instance} may be null
   * for a whole study or series). Blocking: called on a worker thread.
   */
  public List<StoredInstance> find(String tenant, String study, String series, String instance) {
    String sql = SELECT;
    List<Object> params = new ArrayList<>(List.of(tenant, study));
    if (series != null) {
      sql += " and se." + SeriesTable.SERIES_UID + " = $3";
      params.add(series);
      if (instance != null) {
        sql += " and i." + InstanceTable.SOP_INSTANCE_UID + " = $4";
        params.add(instance);
      }
    }
    List<StoredInstance> found = new ArrayList<>();
    for (Row r :
        pool.preparedQuery(sql + ORDER).execute(Tuple.from(params)).await().indefinitely()) {
      found.add(
          new StoredInstance(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.getLong(6),
              r.getString(7),
              r.getString(8),
              r.getString(9)));
    }
    return found;
  }

  /** The tenant's instances under the UIDs; 404 when there are none. */
  public List<StoredInstance> locate(String tenant, String study, String series, String sop) {
    List<StoredInstance> found = new ArrayList<>();
    for (StoredInstance i : find(tenant, study, series, sop)) {
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
    return found;
  }
}
