package org.strata.bench.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.strata.indexschema.IndexMigrations;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.UsesPlatform;

/**
 * The bulk loader on the real PostgreSQL, in a database of its own with the index service's own
 * migration: rows as the index keeps them (aggregates, keys, JSON attributes).
 */
@UsesPlatform(Component.POSTGRES)
class IndexBulkLoaderTest {
  private static final String DB = "bench_loader_test";
  private static String url;
  private static Platform platform;

  @BeforeAll
  static void schema(Platform p) throws Exception {
    platform = p;
    try (Connection c =
            DriverManager.getConnection(
                p.jdbcUrl("postgres"), p.postgresUser(), p.postgresPassword());
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DB);
      s.execute("create database " + DB);
    }
    url = p.jdbcUrl(DB);
    try (Connection c = connect()) {
      IndexMigrations.apply(c);
    }
    // Two calls, the second not starting at a chunk boundary of the first.
    try (IndexBulkLoader loader =
        new IndexBulkLoader(url, p.postgresUser(), p.postgresPassword(), "t1")) {
      loader.load(0, 30);
      loader.load(30, 40);
      loader.vacuumAnalyze();
    }
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection(url, platform.postgresUser(), platform.postgresPassword());
  }

  private static long number(String sql) throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void fortyStudiesOfTwentyPatientsWithTenInstancesEach() throws Exception {
    assertEquals(20, number("select count(*) from patient where tenant = 't1'"));
    assertEquals(40, number("select count(*) from study where tenant = 't1'"));
    assertEquals(400, number("select count(*) from instance where tenant = 't1'"));
    assertEquals(400, number("select count(*) from object_location"));
    assertEquals(1, number("select count(*) from tenant where id = 't1'"));
    assertEquals(
        0,
        number(
            "select count(*) from information_schema.tables where table_name ="
                + " 'bench_study'"));
  }

  @Test
  void aggregatesMatchTheRows() throws Exception {
    assertEquals(
        0,
        number(
            "select count(*) from study st where st.number_of_instances <> (select count(*) from"
                + " instance i join series se on se.pk = i.series_pk where se.study_pk = st.pk)"
                + " or st.number_of_series <> (select count(*) from series se where se.study_pk ="
                + " st.pk)"));
    assertEquals(
        0,
        number(
            "select count(*) from series se where se.number_of_instances <> (select count(*)"
                + " from instance i where i.series_pk = se.pk)"));
    assertEquals(
        0,
        number(
            "select count(*) from study st join series se on se.study_pk = st.pk where"
                + " st.modalities_in_study <> array[se.modality]"));
  }

  @Test
  void keysAndAttributesAgreeWithTheColumns() throws Exception {
    assertEquals(
        0,
        number(
            "select count(*) from instance i join series se on se.pk = i.series_pk join study st"
                + " on st.pk = se.study_pk join patient p on p.pk = st.patient_pk"
                + " join object_location o on o.instance_pk = i.pk where"
                + " jsonb_typeof(i.attributes) <> 'object'"
                + " or i.attributes->'00100020'->'Value'->>0 <> p.patient_id"
                + " or i.attributes->'0020000D'->'Value'->>0 <> st.study_uid"
                + " or i.attributes->'00080018'->'Value'->>0 <> i.sop_instance_uid"
                + " or (i.attributes->'00200013'->'Value'->>0)::int <> i.instance_number"
                + " or i.sop_instance_uid not like se.series_uid || '.%'"
                + " or se.series_uid not like st.study_uid || '.%'"
                + " or o.object_key <> 't1/' || st.study_uid || '/' || se.series_uid || '/' ||"
                + " i.sop_instance_uid || '.dcm'"));
    assertEquals(
        0,
        number(
            "select count(*) from patient where patient_name_norm <> upper(patient_name_norm)"
                + " or patient_name_norm like '%^%' or patient_name_norm like '%=%'"));
  }
}
