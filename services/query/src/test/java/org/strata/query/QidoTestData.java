package org.strata.query;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Types;
import java.util.UUID;
import org.strata.indexschema.IndexMigrations;

/**
 * The known data set of the query tests, written straight into the index schema over JDBC (the
 * index service does not run here; the schema is created by the index's own migrations, from
 * libs/index-schema). Aggregates are written as the index would compute them.
 *
 * <pre>
 * tenant local (the service's default tenant)
 *   PAT-001 Doe^Jane, 19700101 F
 *     S1 2025-01-10 08:30 ACC-1001 id 1001 "CT HEAD"   ref Smith^Anna   CT     SE1.1 CT #1 (2 inst)
 *     S2 2025-02-20 14:00 ACC-1002 id 1002 "MR BRAIN"  ref Smith^Anna   MR SR  SE2.1 MR #1 (3), SE2.2 SR #2 (1)
 *   PAT-002 Müller^Hans, 19650505 M
 *     S3 2024-12-31 23:59:59 ACC_1003 id 1003 "CT CHEST" ref Müller^Eva CT PR  SE3.1 CT #1 (2), SE3.2 PR #2 (1)
 *     S4 2025-01-10 10:15 ACC%1004 id 1004 "US ABDOMEN" no ref           US     SE4.1 US #1 (1, 10 frames)
 *   PAT-003 Yamada^Tarou=山田^太郎, 19800303 M
 *     S5 2025-03-01 09:00 ACC-1005 id 1005 "CT 胸部"    ref Tanaka^Ichiro CT    SE5.1 CT #1 (1)
 *     S7 no date, time, accession or ref                                 OT     SE7.1 OT, no number (1)
 * tenant other
 *   PAT-001 Doe^John
 *     S6 2025-01-10 08:30 ACC-1001 id 1001 "CT HEAD"   ref Smith^Anna   CT     SE6.1 CT #1 (1)
 * </pre>
 */
public final class QidoTestData {
  static final String ROOT = "1.2.826.0.1.3680043.10.1137";
  static final String S1 = ROOT + ".1";
  static final String S2 = ROOT + ".2";
  static final String S3 = ROOT + ".3";
  static final String S4 = ROOT + ".4";
  static final String S5 = ROOT + ".5";
  static final String S6 = ROOT + ".6";
  static final String S7 = ROOT + ".7";

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String MR = "1.2.840.10008.5.1.4.1.1.4";
  static final String SR = "1.2.840.10008.5.1.4.1.1.88.11";
  static final String PR = "1.2.840.10008.5.1.4.1.1.11.1";
  static final String US = "1.2.840.10008.5.1.4.1.1.3.1";
  static final String OT = "1.2.840.10008.5.1.4.1.1.7";

  private static boolean loaded;

  private QidoTestData() {}

  /** Series {@code n} of a study: its UID is the study's plus {@code .n}. */
  static String series(String study, int n) {
    return study + "." + n;
  }

  /** Instance {@code n} of series {@code s} of a study. */
  static String instance(String study, int s, int n) {
    return study + "." + s + "." + n;
  }

  public static synchronized void ensureLoaded() throws Exception {
    if (loaded) {
      return;
    }
    try (Connection c = IndexDb.connect()) {
      // The database outlives this class: Quarkus reloads test classes when the test profile
      // changes, while the platform (and its PostgreSQL) lives as long as the JVM.
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select to_regclass('public.study') is not null")) {
        rs.next();
        if (rs.getBoolean(1)) {
          loaded = true;
          return;
        }
      }
      c.setAutoCommit(false);
      // The index service's own migrations, in order: query reads the schema index owns.
      IndexMigrations.apply(c);
      new QidoTestData().load(c);
      c.commit();
    }
    loaded = true;
  }

  private void load(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(
          "insert into tenant (id, default_issuer) values ('local', 'STRATA-local'), ('other',"
              + " 'STRATA-other')");
    }
    long p1 = patient(c, "local", "PAT-001", "HOSP-A", "Doe^Jane", "DOE JANE", "1970-01-01", "F");
    long p2 =
        patient(c, "local", "PAT-002", "HOSP-A", "Müller^Hans", "MULLER HANS", "1965-05-05", "M");
    long p3 =
        patient(
            c,
            "local",
            "PAT-003",
            "HOSP-A",
            "Yamada^Tarou=山田^太郎",
            "YAMADA TAROU 山田 太郎",
            "1980-03-03",
            "M");
    long p4 = patient(c, "other", "PAT-001", "HOSP-B", "Doe^John", "DOE JOHN", "1971-02-02", "M");

    long s1 =
        study(
            c,
            "local",
            S1,
            p1,
            "2025-01-10",
            "08:30:00",
            "ACC-1001",
            "1001",
            "CT HEAD",
            "Smith^Anna",
            "SMITH ANNA",
            1,
            2,
            "{CT}",
            "{" + CT + "}");
    long s2 =
        study(
            c,
            "local",
            S2,
            p1,
            "2025-02-20",
            "14:00:00",
            "ACC-1002",
            "1002",
            "MR BRAIN",
            "Smith^Anna",
            "SMITH ANNA",
            2,
            4,
            "{MR,SR}",
            "{" + MR + "," + SR + "}");
    long s3 =
        study(
            c,
            "local",
            S3,
            p2,
            "2024-12-31",
            "23:59:59",
            "ACC_1003",
            "1003",
            "CT CHEST",
            "Müller^Eva",
            "MULLER EVA",
            2,
            3,
            "{CT,PR}",
            "{" + CT + "," + PR + "}");
    long s4 =
        study(
            c,
            "local",
            S4,
            p2,
            "2025-01-10",
            "10:15:00",
            "ACC%1004",
            "1004",
            "US ABDOMEN",
            null,
            null,
            1,
            1,
            "{US}",
            "{" + US + "}");
    long s5 =
        study(
            c,
            "local",
            S5,
            p3,
            "2025-03-01",
            "09:00:00",
            "ACC-1005",
            "1005",
            "CT 胸部",
            "Tanaka^Ichiro",
            "TANAKA ICHIRO",
            1,
            1,
            "{CT}",
            "{" + CT + "}");
    long s7 =
        study(
            c,
            "local",
            S7,
            p3,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            1,
            1,
            "{OT}",
            "{" + OT + "}");
    long s6 =
        study(
            c,
            "other",
            S6,
            p4,
            "2025-01-10",
            "08:30:00",
            "ACC-1001",
            "1001",
            "CT HEAD",
            "Smith^Anna",
            "SMITH ANNA",
            1,
            1,
            "{CT}",
            "{" + CT + "}");

    instances(
        c,
        "local",
        series(c, "local", s1, S1, 1, "CT", 1, "AXIAL", "HEAD", "2025-01-10", "08:31:00", 2),
        S1,
        1,
        CT,
        2,
        512,
        null);
    instances(
        c,
        "local",
        series(c, "local", s2, S2, 1, "MR", 1, "T1 SAG", "BRAIN", "2025-02-20", "14:05:00", 3),
        S2,
        1,
        MR,
        3,
        256,
        null);
    instances(
        c,
        "local",
        series(c, "local", s2, S2, 2, "SR", 2, "REPORT", null, null, null, 1),
        S2,
        2,
        SR,
        1,
        null,
        null);
    instances(
        c,
        "local",
        series(c, "local", s3, S3, 1, "CT", 1, "AXIAL", "CHEST", "2024-12-31", "23:59:59", 2),
        S3,
        1,
        CT,
        2,
        512,
        null);
    instances(
        c,
        "local",
        series(c, "local", s3, S3, 2, "PR", 2, "KEY IMAGES", null, null, null, 1),
        S3,
        2,
        PR,
        1,
        null,
        null);
    instances(
        c,
        "local",
        series(c, "local", s4, S4, 1, "US", 1, "LIVER", "ABDOMEN", "2025-01-10", "10:16:00", 1),
        S4,
        1,
        US,
        1,
        480,
        10);
    instances(
        c,
        "local",
        series(c, "local", s5, S5, 1, "CT", 1, "AXIAL", "CHEST", "2025-03-01", "09:01:00", 1),
        S5,
        1,
        CT,
        1,
        512,
        null);
    instances(
        c,
        "local",
        series(c, "local", s7, S7, 1, "OT", null, null, null, null, null, 1),
        S7,
        1,
        OT,
        1,
        640,
        null);
    instances(
        c,
        "other",
        series(c, "other", s6, S6, 1, "CT", 1, "AXIAL", "HEAD", "2025-01-10", "08:31:00", 1),
        S6,
        1,
        CT,
        1,
        512,
        null);
  }

  private long patient(
      Connection c,
      String tenant,
      String id,
      String issuer,
      String name,
      String norm,
      String birth,
      String sex)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into patient (tenant, patient_id, issuer, patient_name, patient_name_norm,"
                + " birth_date, sex, demographics_at) values (?, ?, ?, ?, ?, ?, ?, now())"
                + " returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, id);
      ps.setString(3, issuer);
      ps.setString(4, name);
      ps.setString(5, norm);
      ps.setDate(6, Date.valueOf(birth));
      ps.setString(7, sex);
      return IndexDb.pk(ps);
    }
  }

  private long study(
      Connection c,
      String tenant,
      String uid,
      long patient,
      String date,
      String time,
      String accession,
      String studyId,
      String description,
      String referring,
      String referringNorm,
      int series,
      int instances,
      String modalities,
      String sopClasses)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into study (tenant, study_uid, patient_pk, study_date, study_time,"
                + " accession_number, study_id, study_description, referring_physician,"
                + " referring_physician_norm, number_of_series, number_of_instances,"
                + " modalities_in_study, sop_classes_in_study) values (?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?::text[], ?::text[]) returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, uid);
      ps.setLong(3, patient);
      ps.setObject(4, date == null ? null : Date.valueOf(date), Types.DATE);
      ps.setObject(5, time == null ? null : Time.valueOf(time), Types.TIME);
      ps.setString(6, accession);
      ps.setString(7, studyId);
      ps.setString(8, description);
      ps.setString(9, referring);
      ps.setString(10, referringNorm);
      ps.setInt(11, series);
      ps.setInt(12, instances);
      ps.setString(13, modalities);
      ps.setString(14, sopClasses);
      return IndexDb.pk(ps);
    }
  }

  private long series(
      Connection c,
      String tenant,
      long study,
      String studyUid,
      int n,
      String modality,
      Integer number,
      String description,
      String bodyPart,
      String ppsDate,
      String ppsTime,
      int instances)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into series (tenant, study_pk, series_uid, modality, series_number,"
                + " series_description, body_part_examined, performed_procedure_step_start_date,"
                + " performed_procedure_step_start_time, number_of_instances) values (?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?) returning pk")) {
      ps.setString(1, tenant);
      ps.setLong(2, study);
      ps.setString(3, series(studyUid, n));
      ps.setString(4, modality);
      ps.setObject(5, number, Types.INTEGER);
      ps.setString(6, description);
      ps.setString(7, bodyPart);
      ps.setObject(8, ppsDate == null ? null : Date.valueOf(ppsDate), Types.DATE);
      ps.setObject(9, ppsTime == null ? null : Time.valueOf(ppsTime), Types.TIME);
      ps.setInt(10, instances);
      return IndexDb.pk(ps);
    }
  }

  /**
   * {@code count} instances numbered from 1; attributes (DICOM JSON, as InstanceStored carries
   * them): InstitutionName, ImageType, BitsAllocated 16 for images, InstanceNumber.
   */
  private void instances(
      Connection c,
      String tenant,
      long series,
      String studyUid,
      int s,
      String sopClass,
      int count,
      Integer size,
      Integer frames)
      throws Exception {
    for (int n = 1; n <= count; n++) {
      String sop = instance(studyUid, s, n);
      String attributes =
          "{\"00080008\": {\"vr\": \"CS\", \"Value\": [\"ORIGINAL\", \"PRIMARY\"]},"
              + " \"00080080\": {\"vr\": \"LO\", \"Value\": [\"General Hospital\"]},"
              + " \"00200013\": {\"vr\": \"IS\", \"Value\": ["
              + n
              + "]}"
              + (size == null ? "" : ", \"00280100\": {\"vr\": \"US\", \"Value\": [16]}")
              + "}";
      long pk;
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
                  + " instance_number, number_of_frames, pixel_rows, pixel_columns,"
                  + " transfer_syntax_uid, stored_event_id, version, attributes) values (?, ?, ?,"
                  + " ?, ?, ?, ?, ?, '1.2.840.10008.1.2.1', ?, 1, "
                  // every second instance in the legacy form: a JSON string holding the object
                  + (n % 2 == 0 ? "to_jsonb(?::text)" : "?::jsonb")
                  + ") returning pk")) {
        ps.setString(1, tenant);
        ps.setLong(2, series);
        ps.setString(3, sop);
        ps.setString(4, sopClass);
        ps.setInt(5, n);
        ps.setObject(6, frames, Types.INTEGER);
        ps.setObject(7, size, Types.INTEGER);
        ps.setObject(8, size, Types.INTEGER);
        ps.setObject(9, UUID.randomUUID());
        ps.setString(10, attributes);
        pk = IndexDb.pk(ps);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into object_location (instance_pk, bucket, object_key, size) values (?,"
                  + " 'strata-objects', ?, 1024)")) {
        ps.setLong(1, pk);
        ps.setString(2, tenant + "/" + sop + ".dcm");
        ps.executeUpdate();
      }
    }
  }
}
