package org.strata.bench.query;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import org.postgresql.PGConnection;

/**
 * Fills the index's tables (the schema services/index's Flyway migration created) with {@link
 * StudyPopulation} studies straight in SQL, without going through Kafka and the index service:
 * studies and patients are computed in Java and COPYed into an unlogged staging table, then series,
 * instances (with their {@code attributes} JSON, as the index stores it) and object locations are
 * expanded from it with {@code generate_series}, a chunk of studies per transaction. A million
 * instances take minutes, not the hours the indexing path would.
 *
 * <p>The rows look like the index service's (same columns, normalised names, aggregates, JSON
 * attributes of the same tags), but their object locations point at objects that do not exist: they
 * are for QIDO-RS, not for retrieval.
 */
final class IndexBulkLoader implements AutoCloseable {
  private static final int CHUNK = 10_000;
  private static final DateTimeFormatter DA = DateTimeFormatter.ISO_LOCAL_DATE;

  private final Connection db;
  private final String tenant;

  IndexBulkLoader(String jdbcUrl, String user, String password, String tenant) throws Exception {
    this.db = DriverManager.getConnection(jdbcUrl, user, password);
    this.tenant = tenant;
    try (Statement s = db.createStatement()) {
      s.execute(
          "create unlogged table if not exists bench_study (s int primary key, patient_id text,"
              + " patient_name text, patient_name_norm text, birth_date date, sex text,"
              + " study_uid text, study_date date, study_time time, accession text, modality text,"
              + " sop_class text, body_part text, n_series int, description text,"
              + " referring text, referring_norm text)");
    }
    try (PreparedStatement ps =
        db.prepareStatement(
            "insert into tenant (id, default_issuer) values (?, ?) on conflict (id) do nothing")) {
      ps.setString(1, tenant);
      ps.setString(2, StudyPopulation.ISSUER);
      ps.executeUpdate();
    }
  }

  /** Loads studies {@code from} (inclusive) to {@code to} (exclusive), printing progress. */
  void load(int from, int to) throws Exception {
    for (int a = from; a < to; a += CHUNK) {
      int b = Math.min(to, a + CHUNK);
      stage(a, b);
      db.setAutoCommit(false);
      try {
        // Statistics first, each time a table has grown: without them the planner takes the
        // fresh tables for empty and joins them by nested loops (a 100 k-instance chunk then
        // takes minutes instead of seconds).
        analyze("bench_study");
        run(PATIENTS, a, b);
        analyze("patient");
        run(STUDIES, a, b);
        analyze("study");
        run(SERIES, a, b);
        analyze("series");
        run(INSTANCES, a, b);
        db.commit();
      } catch (Exception e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    }
  }

  /** VACUUM ANALYZE, as autovacuum would eventually: fresh statistics and visibility maps. */
  void vacuumAnalyze() throws Exception {
    try (Statement s = db.createStatement()) {
      for (String table :
          new String[] {"patient", "study", "series", "instance", "object_location"}) {
        s.execute("vacuum analyze " + table);
      }
    }
  }

  private void analyze(String table) throws Exception {
    try (Statement s = db.createStatement()) {
      s.execute("analyze " + table);
    }
  }

  private void stage(int from, int to) throws Exception {
    StringBuilder rows = new StringBuilder(300 * (to - from));
    for (int s = from; s < to; s++) {
      StudyPopulation.Study st = StudyPopulation.study(s);
      String referring = st.referringPhysician();
      rows.append(s)
          .append('\t')
          .append(st.patientId())
          .append('\t')
          .append(st.patientName())
          .append('\t')
          .append(st.patientNameNorm())
          .append('\t')
          .append(st.birthDate().format(DA))
          .append('\t')
          .append(st.sex())
          .append('\t')
          .append(st.studyUid())
          .append('\t')
          .append(st.date().format(DA))
          .append('\t')
          .append(st.time())
          .append('\t')
          .append(st.accession())
          .append('\t')
          .append(st.modality())
          .append('\t')
          .append(st.sopClass())
          .append('\t')
          .append(st.bodyPart())
          .append('\t')
          .append(st.series())
          .append('\t')
          .append(st.description())
          .append('\t')
          .append(referring)
          .append('\t')
          .append(StudyPopulation.normalize(referring))
          .append('\n');
    }
    // Generated values hold no tab, newline or backslash: no COPY escaping needed.
    ((PGConnection) db.unwrap(PGConnection.class))
        .getCopyAPI()
        .copyIn("copy bench_study from stdin", new StringReader(rows.toString()));
  }

  private void run(String sql, int from, int to) throws Exception {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      int n = sql.length() - sql.replace("?", "").length();
      for (int i = 1; i <= n; i++) {
        // Parameters repeat (tenant, from, to) in this order through each statement.
        switch ((i - 1) % 3) {
          case 0 -> ps.setString(i, tenant);
          case 1 -> ps.setInt(i, from);
          default -> ps.setInt(i, to);
        }
      }
      ps.executeUpdate();
    }
  }

  // Each statement takes (tenant, from, to) as its parameters, repeated in that order.
  private static final String PATIENTS =
      "insert into patient (tenant, patient_id, issuer, patient_name, patient_name_norm,"
          + " birth_date, sex, demographics_at)"
          + " select distinct on (b.patient_id) ?, b.patient_id, '"
          + StudyPopulation.ISSUER
          + "', b.patient_name, b.patient_name_norm, b.birth_date, b.sex, now()"
          + " from bench_study b where b.s >= ? and b.s < ? order by b.patient_id"
          + " on conflict on constraint patient_natural_key do nothing";

  private static final String STUDIES =
      "insert into study (tenant, study_uid, patient_pk, study_date, study_time, accession_number,"
          + " study_id, study_description, referring_physician, referring_physician_norm,"
          + " number_of_series, number_of_instances, modalities_in_study, sop_classes_in_study)"
          + " select p.tenant, b.study_uid, p.pk, b.study_date, b.study_time, b.accession,"
          + " 'S' || b.s, b.description, b.referring, b.referring_norm, b.n_series, "
          + StudyPopulation.INSTANCES_PER_STUDY
          + ", array[b.modality], array[b.sop_class]"
          + " from bench_study b join patient p on p.tenant = ? and p.patient_id = b.patient_id"
          + " and p.issuer = '"
          + StudyPopulation.ISSUER
          + "' where b.s >= ? and b.s < ?";

  private static final String SERIES =
      "insert into series (tenant, study_pk, series_uid, modality, series_number,"
          + " series_description, body_part_examined, number_of_instances)"
          + " select st.tenant, st.pk, b.study_uid || '.' || k, b.modality, k,"
          + " b.description || ' ' || k, b.body_part, "
          + StudyPopulation.INSTANCES_PER_STUDY
          + " / b.n_series + case when k <= "
          + StudyPopulation.INSTANCES_PER_STUDY
          + " % b.n_series then 1 else 0 end"
          + " from bench_study b join study st on st.tenant = ? and st.study_uid = b.study_uid"
          + " cross join lateral generate_series(1, b.n_series) k where b.s >= ? and b.s < ?";

  private static String attr(String tag, String vr, String value) {
    return "'"
        + tag
        + "', jsonb_build_object('vr', '"
        + vr
        + "', 'Value', jsonb_build_array("
        + value
        + "))";
  }

  // The tags ingest's IndexAttributes puts into InstanceStored.attributes, which the index keeps.
  private static final String ATTRIBUTES =
      "jsonb_build_object("
          + String.join(
              ", ",
              attr("00080016", "UI", "b.sop_class"),
              attr("00080018", "UI", "se.series_uid || '.' || i"),
              attr("00080020", "DA", "to_char(b.study_date, 'YYYYMMDD')"),
              attr("00080030", "TM", "to_char(b.study_time, 'HH24MISS')"),
              attr("00080050", "SH", "b.accession"),
              attr("00080060", "CS", "b.modality"),
              attr("00080090", "PN", "jsonb_build_object('Alphabetic', b.referring)"),
              attr("00081030", "LO", "b.description"),
              attr("0008103E", "LO", "se.series_description"),
              attr(
                  "00100010",
                  "PN",
                  "jsonb_strip_nulls(jsonb_build_object('Alphabetic', split_part(b.patient_name,"
                      + " '=', 1), 'Ideographic', nullif(split_part(b.patient_name, '=', 2),"
                      + " '')))"),
              attr("00100020", "LO", "b.patient_id"),
              attr("00100021", "LO", "'" + StudyPopulation.ISSUER + "'"),
              attr("00100030", "DA", "to_char(b.birth_date, 'YYYYMMDD')"),
              attr("00100040", "CS", "b.sex"),
              attr("00180015", "CS", "b.body_part"),
              attr("0020000D", "UI", "b.study_uid"),
              attr("0020000E", "UI", "se.series_uid"),
              attr("00200010", "SH", "'S' || b.s"),
              attr("00200011", "IS", "se.series_number"),
              attr("00200013", "IS", "i"),
              attr("00280010", "US", "512"),
              attr("00280011", "US", "512"))
          + ")";

  private static final String INSTANCES =
      "with ins as (insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
          + " instance_number, number_of_frames, pixel_rows, pixel_columns, transfer_syntax_uid,"
          + " stored_event_id, version, attributes)"
          + " select se.tenant, se.pk, se.series_uid || '.' || i, b.sop_class, i, 1, 512, 512,"
          + " '1.2.840.10008.1.2.1', gen_random_uuid(), 1, "
          + ATTRIBUTES
          + " from bench_study b join study st on st.tenant = ? and st.study_uid = b.study_uid"
          + " join series se on se.study_pk = st.pk"
          + " cross join lateral generate_series(1, se.number_of_instances) i"
          + " where b.s >= ? and b.s < ?"
          + " returning pk, tenant, series_pk, sop_instance_uid)"
          + " insert into object_location (instance_pk, bucket, object_key, size, sha256,"
          + " sidecar_key, frame_index_key)"
          + " select ins.pk, 'strata-objects', k.prefix || ins.sop_instance_uid || '.dcm', 524800,"
          + " md5(ins.sop_instance_uid) || md5(ins.sop_instance_uid),"
          + " k.prefix || ins.sop_instance_uid || '.json', k.prefix || ins.sop_instance_uid ||"
          + " '.frames' from ins join lateral (select ins.tenant || '/' || st.study_uid || '/' ||"
          + " se.series_uid || '/' as prefix from series se join study st on st.pk = se.study_pk"
          + " where se.pk = ins.series_pk) k on true";

  @Override
  public void close() throws Exception {
    try (Statement s = db.createStatement()) {
      s.execute("drop table if exists bench_study");
    }
    db.close();
  }
}
