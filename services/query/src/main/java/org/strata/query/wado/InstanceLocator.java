package org.strata.query.wado;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the stored instances of a study, series or instance in the index, limited to one tenant:
 * every table of the join is filtered by {@code tenant} (the leading column of the natural keys).
 * Instances without an {@code object_location} row are not retrievable and left out. Order: series
 * by number, instances by number (then by index order), as QIDO-RS lists them.
 */
@ApplicationScoped
public class InstanceLocator {
  private static final String SELECT =
      "select st.study_uid, se.series_uid, i.sop_instance_uid, i.transfer_syntax_uid, l.bucket,"
          + " l.object_key, l.size, l.sidecar_key, l.frame_index_key, i.stored_event_id::text"
          + " from study st"
          + " join series se on se.study_pk = st.pk and se.tenant = $1"
          + " join instance i on i.series_pk = se.pk and i.tenant = $1"
          + " join object_location l on l.instance_pk = i.pk"
          + " where st.tenant = $1 and st.study_uid = $2";
  private static final String ORDER =
      " order by se.series_number nulls last, se.pk, i.instance_number nulls last, i.pk";

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
      sql += " and se.series_uid = $3";
      params.add(series);
      if (instance != null) {
        sql += " and i.sop_instance_uid = $4";
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
