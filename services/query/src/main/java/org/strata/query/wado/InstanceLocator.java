package org.strata.query.wado;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
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
  private static final String SELECT =
      "select st."
          + StudyTable.STUDY_UID
          + ", se."
          + SeriesTable.SERIES_UID
          + ", i."
          + InstanceTable.SOP_INSTANCE_UID
          + ", i."
          + InstanceTable.TRANSFER_SYNTAX_UID
          + ", l."
          + ObjectLocationTable.BUCKET
          + ", l."
          + ObjectLocationTable.OBJECT_KEY
          + ", l."
          + ObjectLocationTable.SIZE
          + ", l."
          + ObjectLocationTable.SIDECAR_KEY
          + ", l."
          + ObjectLocationTable.FRAME_INDEX_KEY
          + ", i."
          + InstanceTable.STORED_EVENT_ID
          + "::text from "
          + StudyTable.NAME
          + " st join "
          + SeriesTable.NAME
          + " se on se."
          + SeriesTable.STUDY_PK
          + " = st."
          + StudyTable.PK
          + " and se."
          + SeriesTable.TENANT
          + " = $1 join "
          + InstanceTable.NAME
          + " i on i."
          + InstanceTable.SERIES_PK
          + " = se."
          + SeriesTable.PK
          + " and i."
          + InstanceTable.TENANT
          + " = $1 join "
          + ObjectLocationTable.NAME
          + " l on l."
          + ObjectLocationTable.INSTANCE_PK
          + " = i."
          + InstanceTable.PK
          + " where st."
          + StudyTable.TENANT
          + " = $1 and st."
          + StudyTable.STUDY_UID
          + " = $2";
  private static final String ORDER =
      " order by se."
          + SeriesTable.SERIES_NUMBER
          + " nulls last, se."
          + SeriesTable.PK
          + ", i."
          + InstanceTable.INSTANCE_NUMBER
          + " nulls last, i."
          + InstanceTable.PK;

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
}
