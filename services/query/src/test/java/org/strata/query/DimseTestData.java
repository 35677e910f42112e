package org.strata.query;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;

/**
 * The DIMSE Query/Retrieve data set: index rows with patients, studies, series and instances, and
 * pydicom's sample objects in S3 under the {@code ObjectKeys} layout. Its own tenant, so the QIDO
 * and WADO data sets and their expected results stay as they are.
 *
 * <pre>
 * tenant dimse (the DimseProfile's default tenant)
 *   QR-001 Doe^Jane, 19700101 F
 *     CT study 20040119 "CT SMALL": CT series #1: CT_small.dcm (CT, explicit VR LE)
 *     SC study 20170101 "SC RLE":   OT series #1: SC_rgb_rle_2frame.dcm (SC, RLE lossless)
 *   QR-002 Doe^John, 19710202 M
 *     MR study 20040826 "MR SMALL": MR series #1: MR_small.dcm (MR, explicit VR LE)
 *   QR-003 Roe^Richard, 19600606 M
 *     XR study 20200101 "XR CHEST": no series, nothing stored
 * </pre>
 */
final class DimseTestData {
  static final String TENANT = "dimse";

  // UIDs of the sample files, from dcmdump
  static final String CT_STUDY = WadoTestData.CT_STUDY;
  static final String CT_SERIES = WadoTestData.CT_SERIES;
  static final String CT_SOP = WadoTestData.CT_SOP;
  static final String SC_STUDY = WadoTestData.SC_STUDY;
  static final String SC_SERIES = WadoTestData.SC_SERIES;
  static final String SC_SOP = WadoTestData.SC_SOP;
  static final String MR_STUDY = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";
  static final String MR_SERIES = "1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457";
  static final String MR_SOP = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";
  static final String XR_STUDY = "1.2.826.0.1.3680043.10.1137.50";

  static final String CT_CLASS = "1.2.840.10008.5.1.4.1.1.2";
  static final String MR_CLASS = "1.2.840.10008.5.1.4.1.1.4";
  static final String SC_CLASS = "1.2.840.10008.5.1.4.1.1.7";

  /** SOP Instance UID to the sample file holding it. */
  static final Map<String, String> FILES =
      Map.of(CT_SOP, "CT_small.dcm", SC_SOP, "SC_rgb_rle_2frame.dcm", MR_SOP, "MR_small.dcm");

  private static boolean loaded;

  private DimseTestData() {}

  static synchronized void ensureLoaded() throws Exception {
    if (loaded) {
      return;
    }
    QidoTestData.ensureLoaded(); // the index schema
    ObjectStore s3 = WadoTestData.s3();
    put(s3, CT_STUDY, CT_SERIES, CT_SOP);
    put(s3, SC_STUDY, SC_SERIES, SC_SOP);
    put(s3, MR_STUDY, MR_SERIES, MR_SOP);

    try (Connection c = IndexDb.connect()) {
      if (IndexDb.hasTenant(c, "dimse")) {
        loaded = true;
        return;
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("insert into tenant (id, default_issuer) values ('dimse', 'STRATA-dimse')");
      }
      long jane = patient(c, "QR-001", "Doe^Jane", "DOE JANE", "1970-01-01", "F");
      long john = patient(c, "QR-002", "Doe^John", "DOE JOHN", "1971-02-02", "M");
      long roe = patient(c, "QR-003", "Roe^Richard", "ROE RICHARD", "1960-06-06", "M");
      long ct = study(c, CT_STUDY, jane, "2004-01-19", "CT SMALL", "CT", 1);
      instance(
          c,
          series(c, ct, CT_SERIES, "CT"),
          CT_STUDY,
          CT_SERIES,
          CT_SOP,
          CT_CLASS,
          WadoTestData.EXPLICIT_LE);
      long sc = study(c, SC_STUDY, jane, "2017-01-01", "SC RLE", "OT", 1);
      instance(
          c,
          series(c, sc, SC_SERIES, "OT"),
          SC_STUDY,
          SC_SERIES,
          SC_SOP,
          SC_CLASS,
          WadoTestData.RLE);
      long mr = study(c, MR_STUDY, john, "2004-08-26", "MR SMALL", "MR", 1);
      instance(
          c,
          series(c, mr, MR_SERIES, "MR"),
          MR_STUDY,
          MR_SERIES,
          MR_SOP,
          MR_CLASS,
          WadoTestData.EXPLICIT_LE);
      study(c, XR_STUDY, roe, "2020-01-01", "XR CHEST", "DX", 0);
      c.commit();
    }
    loaded = true;
  }

  private static void put(ObjectStore s3, String study, String series, String sop)
      throws Exception {
    byte[] bytes = WadoTestData.sample(FILES.get(sop));
    s3.put(
        ObjectKeys.instance(TENANT, study, series, sop, 1),
        new ByteArrayInputStream(bytes),
        "application/octet-stream",
        Map.of());
  }

  private static long patient(
      Connection c, String id, String name, String norm, String birth, String sex)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into patient (tenant, patient_id, issuer, patient_name, patient_name_norm,"
                + " birth_date, sex, demographics_at) values ('dimse', ?, 'HOSP-D', ?, ?, ?, ?,"
                + " now()) returning pk")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, norm);
      ps.setDate(4, Date.valueOf(birth));
      ps.setString(5, sex);
      return IndexDb.pk(ps);
    }
  }

  private static long study(
      Connection c,
      String uid,
      long patient,
      String date,
      String description,
      String modality,
      int count)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into study (tenant, study_uid, patient_pk, study_date, study_description,"
                + " number_of_series, number_of_instances, modalities_in_study) values ('dimse',"
                + " ?, ?, ?, ?, ?, ?, ?::text[]) returning pk")) {
      ps.setString(1, uid);
      ps.setLong(2, patient);
      ps.setDate(3, Date.valueOf(date));
      ps.setString(4, description);
      ps.setInt(5, count);
      ps.setInt(6, count);
      ps.setString(7, "{" + modality + "}");
      return IndexDb.pk(ps);
    }
  }

  private static long series(Connection c, long study, String uid, String modality)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into series (tenant, study_pk, series_uid, modality, series_number,"
                + " number_of_instances) values ('dimse', ?, ?, ?, 1, 1) returning pk")) {
      ps.setLong(1, study);
      ps.setString(2, uid);
      ps.setString(3, modality);
      return IndexDb.pk(ps);
    }
  }

  private static void instance(
      Connection c,
      long series,
      String study,
      String seriesUid,
      String sop,
      String sopClass,
      String ts)
      throws Exception {
    long pk;
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
                + " instance_number, transfer_syntax_uid, stored_event_id, version) values"
                + " ('dimse', ?, ?, ?, 1, ?, ?, 1) returning pk")) {
      ps.setLong(1, series);
      ps.setString(2, sop);
      ps.setString(3, sopClass);
      ps.setString(4, ts);
      ps.setObject(5, UUID.randomUUID());
      pk = IndexDb.pk(ps);
    }
    String key = ObjectKeys.instance(TENANT, study, seriesUid, sop, 1);
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into object_location (instance_pk, bucket, object_key, size) values (?,"
                + " 'strata-objects', ?, ?)")) {
      ps.setLong(1, pk);
      ps.setString(2, key);
      ps.setLong(3, WadoTestData.sample(FILES.get(sop)).length);
      ps.executeUpdate();
    }
  }
}
