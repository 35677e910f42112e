package org.strata.query.dimse;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored instances a C-MOVE or C-GET identifier names, limited to one tenant (every table of
 * the join is filtered by it). SQL text only from constants; the identifier's values are bind
 * parameters. Instances without {@code object_location} are not retrievable and left out. Order:
 * studies as indexed, series by number, instances by number.
 */
@ApplicationScoped
public class RetrieveLocator {
  private static final String SELECT =
      "select i.sop_class_uid, i.sop_instance_uid, i.transfer_syntax_uid, l.bucket, l.object_key"
          + " from instance i"
          + " join series se on se.pk = i.series_pk and se.tenant = $1"
          + " join study st on st.pk = se.study_pk and st.tenant = $1"
          + " join patient p on p.pk = st.patient_pk and p.tenant = $1"
          + " join object_location l on l.instance_pk = i.pk"
          + " where i.tenant = $1";
  private static final String ORDER =
      " order by st.pk, se.series_number nulls last, se.pk, i.instance_number nulls last, i.pk";

  /** One retrievable instance and where its object is. */
  public record Located(
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      String bucket,
      String objectKey) {}

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
    StringBuilder sql = new StringBuilder(SELECT);
    List<Object> params = new ArrayList<>();
    params.add(tenant);
    if (patientId != null) {
      params.add(patientId);
      sql.append(" and p.patient_id = $").append(params.size());
    }
    if (studies != null) {
      params.add(studies);
      sql.append(" and st.study_uid = any($").append(params.size()).append(')');
    }
    if (series != null) {
      params.add(series);
      sql.append(" and se.series_uid = any($").append(params.size()).append(')');
    }
    if (instances != null) {
      params.add(instances);
      sql.append(" and i.sop_instance_uid = any($").append(params.size()).append(')');
    }
    if (params.size() == 1) {
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
              r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
    }
    return found;
  }
}
