package org.strata.bench.index;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills the index's tables in PostgreSQL up to a number of instances with set-based inserts, to
 * measure bytes per instance at a million without indexing a million events: studies of 2 series x
 * 50 instances like the benchmark's events, every row shaped like the ones the service wrote (the
 * attributes JSON of an indexed instance as template, with its own instance number), with every
 * index of the schema in place.
 */
public final class BulkFill {
  private static final int PER_STUDY = 100;
  private static final int STUDIES_PER_ROUND = 1_000;

  private BulkFill() {}

  /** Adds studies of tenant {@code bulk} until the instance table holds {@code target} rows. */
  static void fill(Connection c, long target) throws SQLException {
    fill(c, target, "bench");
  }

  /**
   * As {@link #fill(Connection, long)}, the attributes of the instances copied from an indexed
   * instance of {@code templateTenant} (there must be one).
   */
  public static void fill(Connection c, long target, String templateTenant) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "insert into tenant (id, default_issuer) values ('bulk', 'BULK') on conflict do"
              + " nothing");
      long have = count(s);
      long study = 0;
      while (have < target) {
        long studies = Math.min(STUDIES_PER_ROUND, (target - have + PER_STUDY - 1) / PER_STUDY);
        round(s, study, studies, templateTenant);
        study += studies;
        have = count(s);
      }
      s.execute("analyze");
    }
  }

  private static void round(Statement s, long from, long count, String templateTenant)
      throws SQLException {
    String range = "generate_series(" + from + ", " + (from + count - 1) + ") g";
    s.execute(
        "insert into patient (tenant, patient_id, issuer, patient_name, patient_name_norm,"
            + " birth_date, sex, demographics_at) select 'bulk', 'BPID' || g, 'BULK',"
            + " 'Patient^' || g, 'PATIENT ' || g, date '1960-01-01' + (g % 20000)::int,"
            + " case when g % 2 = 0 then 'F' else 'M' end, now() from "
            + range);
    s.execute(
        "insert into study (tenant, study_uid, patient_pk, study_date, study_time,"
            + " accession_number, study_id, study_description, referring_physician,"
            + " referring_physician_norm, number_of_series, number_of_instances,"
            + " modalities_in_study, sop_classes_in_study) select 'bulk', '2.25.77.' || g,"
            + " p.pk, date '2020-01-01' + (g % 2000)::int, time '10:15:00', 'BACC' || g,"
            + " 'S' || g, m.m || ' study', 'Ref^Doctor', 'REF DOCTOR', 2, 100, array[m.m],"
            + " array['1.2.840.10008.5.1.4.1.1.2'] from "
            + range
            + " join patient p on p.tenant = 'bulk' and p.patient_id = 'BPID' || g"
            + " cross join lateral (select (array['CT','MR','CR','US','MG'])[1 + g % 5] m) m");
    s.execute(
        "insert into series (tenant, study_pk, series_uid, modality, series_number,"
            + " series_description, number_of_instances) select 'bulk', st.pk,"
            + " st.study_uid || '.' || k, st.modalities_in_study[1], k, 'series ' || k, 50 from"
            + " study st cross join generate_series(1, 2) k where st.tenant = 'bulk' and"
            + " st.study_uid in (select '2.25.77.' || g from "
            + range
            + ")");
    s.execute(
        "insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
            + " instance_number, transfer_syntax_uid, stored_event_id, version, attributes)"
            + " select 'bulk', se.pk, se.series_uid || '.' || n, '1.2.840.10008.5.1.4.1.1.2', n,"
            + " '1.2.840.10008.1.2.1', gen_random_uuid(), 1, t.attributes ||"
            + " jsonb_build_object('00200013', jsonb_build_object('vr', 'IS', 'Value',"
            + " jsonb_build_array(n))) from series se cross join generate_series(1, 50) n"
            + " cross join (select attributes from instance where tenant = '"
            + templateTenant
            + "' limit 1) t"
            + " where se.tenant = 'bulk' and se.study_pk in (select pk from study where tenant ="
            + " 'bulk' and study_uid in (select '2.25.77.' || g from "
            + range
            + "))");
    s.execute(
        "insert into object_location (instance_pk, bucket, object_key, size, sha256,"
            + " sidecar_key, frame_index_key) select i.pk, 'strata-objects', 'bulk/' ||"
            + " i.sop_instance_uid || '.dcm', 524288, repeat('0', 64), 'bulk/' ||"
            + " i.sop_instance_uid || '.json', 'bulk/' || i.sop_instance_uid || '.frames' from"
            + " instance i where i.tenant = 'bulk' and not exists (select 1 from object_location l"
            + " where l.instance_pk = i.pk)");
  }

  private static long count(Statement s) throws SQLException {
    try (var rs = s.executeQuery("select count(*) from instance")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
