package org.strata.routing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.strata.events.InstanceStored;
import org.strata.indexschema.IndexMigrations;

/**
 * A stored study as index leaves it in PostgreSQL (what a manual export reads): the index schema
 * from libs/index-schema's migrations, and the rows of the study's patient, study, series,
 * instances and object locations, taken from its InstanceStored events.
 */
final class IndexRows {
  private IndexRows() {}

  static synchronized void index(StoredStudyMother.Stored study) throws Exception {
    try (Connection c = connect()) {
      ensureSchema(c);
      InstanceStored first = study.events().get(0);
      execute(
          c,
          "insert into tenant (id, default_issuer) values (?, 'T') on conflict do nothing",
          first.tenant());
      long patient =
          pk(
              c,
              "insert into patient (tenant, patient_id, issuer, demographics_at) values (?, ?, 'T',"
                  + " now()) on conflict (tenant, patient_id, issuer) do update set updated_at ="
                  + " now() returning pk",
              first.tenant(),
              first.patientId());
      long studyPk =
          pk(
              c,
              "insert into study (tenant, study_uid, patient_pk) values (?, ?, "
                  + patient
                  + ") returning pk",
              first.tenant(),
              first.studyInstanceUid());
      long seriesPk =
          pk(
              c,
              "insert into series (tenant, study_pk, series_uid, modality) values (?, "
                  + studyPk
                  + ", ?, ?) returning pk",
              first.tenant(),
              first.seriesInstanceUid(),
              first.modality());
      for (InstanceStored e : study.events()) {
        long instancePk;
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
                    + " transfer_syntax_uid, stored_event_id, version, attributes) values (?, ?,"
                    + " ?, ?, ?, ?, 1, ?::jsonb) returning pk")) {
          ps.setString(1, e.tenant());
          ps.setLong(2, seriesPk);
          ps.setString(3, e.sopInstanceUid());
          ps.setString(4, e.sopClassUid());
          ps.setString(5, e.transferSyntaxUid());
          ps.setObject(6, UUID.fromString(e.eventId()));
          ps.setString(7, e.attributes() == null ? null : e.attributes().toString());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            instancePk = rs.getLong(1);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into object_location (instance_pk, bucket, object_key, size, sha256)"
                    + " values (?, ?, ?, ?, ?)")) {
          ps.setLong(1, instancePk);
          ps.setString(2, e.objectLocation().bucket());
          ps.setString(3, e.objectLocation().key());
          ps.setLong(4, e.objectLocation().size());
          ps.setString(5, e.objectLocation().sha256());
          ps.executeUpdate();
        }
      }
    }
  }

  /** storage-tiering's move as the index records it: the object now in another bucket and tier. */
  static void moved(String key, String bucket, String tier) throws Exception {
    try (Connection c = connect()) {
      execute(
          c,
          "update object_location set bucket = ?, tier = ? where object_key = ?",
          bucket,
          tier,
          key);
    }
  }

  /** A job's row made {@code days} older, as if it had finished that long ago. */
  static void age(String jobId, int days) throws Exception {
    try (Connection c = connect()) {
      execute(
          c,
          "update routing.job set updated_at = updated_at - make_interval(days => ?::int)"
              + " where job_id = ?::uuid",
          String.valueOf(days),
          jobId);
    }
  }

  /**
   * A rule's row in {@code routing.rule_match} made {@code days} older: first seen and last matched
   * that long before, as if routing had run that long ago.
   */
  static void ageRuleMatches(String ruleId, int days) throws Exception {
    try (Connection c = connect()) {
      execute(
          c,
          "update routing.rule_match set first_seen = first_seen - make_interval(days => ?::int),"
              + " last_match_at = last_match_at - make_interval(days => ?::int) where rule_id = ?",
          String.valueOf(days),
          String.valueOf(days),
          ruleId);
    }
  }

  /** A job's state in routing's status table. */
  static String jobState(String jobId) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("select state from routing.job where job_id = ?::uuid")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** A job's latest record as routing's status table keeps it. */
  static byte[] jobRecord(String jobId) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("select last_record from routing.job where job_id = ?::uuid")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  private static Connection connect() throws Exception {
    var config = ConfigProvider.getConfig();
    return DriverManager.getConnection(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getValue("quarkus.datasource.username", String.class),
        config.getValue("quarkus.datasource.password", String.class));
  }

  /** The index schema, as index's migrations leave it in a deployment (routing reads it). */
  static synchronized void ensureSchema() throws Exception {
    try (Connection c = connect()) {
      ensureSchema(c);
    }
  }

  private static void ensureSchema(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select to_regclass('public.object_location') is not null")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        IndexMigrations.apply(c);
      }
    }
  }

  private static void execute(Connection c, String sql, String... values) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setString(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }

  private static long pk(Connection c, String sql, String... values) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setString(i + 1, values[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
