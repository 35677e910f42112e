package org.strata.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import org.strata.storage.ObjectStore;

/**
 * Two hospitals of the realm's tenant groups with the same Patient ID (PAT-T) and overlapping study
 * dates (ADR 0025): hospital-a has a cardiology and a radiology study, hospital-b two unlabelled
 * ones. Newest first they interleave: B2 (12th), A_RAD (11th), A_CARD and B1 (10th), so a page that
 * counted the other tenant's rows would show it. Each study has one stored CT.
 */
final class TenantTestData {
  static final String A = "hospital-a";
  static final String B = "hospital-b";
  static final String PATIENT_ID = "PAT-T";
  static final String A_CARD = "1.2.826.0.1.3680043.10.1137.250.1";
  static final String A_RAD = "1.2.826.0.1.3680043.10.1137.250.2";
  static final String B1 = "1.2.826.0.1.3680043.10.1137.250.3";
  static final String B2 = "1.2.826.0.1.3680043.10.1137.250.4";

  private static boolean loaded;

  private TenantTestData() {}

  static String series(String study) {
    return study + ".1";
  }

  static String sop(String study) {
    return study + ".1.1";
  }

  static synchronized void ensureLoaded() throws Exception {
    if (loaded) {
      return;
    }
    QidoTestData.ensureLoaded(); // the index schema
    ObjectStore s3 = WadoTestData.s3();
    byte[] ct = WadoTestData.sample("CT_small.dcm");
    for (String[] s : new String[][] {{A, A_CARD}, {A, A_RAD}, {B, B1}, {B, B2}}) {
      WadoTestData.put(s3, WadoTestData.key(s[0], s[1], series(s[1]), sop(s[1])), ct);
    }
    try (Connection c = IndexDb.connect()) {
      if (IndexDb.hasTenant(c, A)) {
        loaded = true;
        return;
      }
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(
            "insert into tenant (id, default_issuer) values ('hospital-a', 'HA'), ('hospital-b',"
                + " 'HB')");
      }
      long pa = WadoTestData.patient(c, A, PATIENT_ID);
      long pb = WadoTestData.patient(c, B, PATIENT_ID);
      study(c, A, A_CARD, pa, LocalDate.of(2026, 1, 10), "cardiology", ct.length);
      study(c, A, A_RAD, pa, LocalDate.of(2026, 1, 11), "radiology", ct.length);
      study(c, B, B1, pb, LocalDate.of(2026, 1, 10), null, ct.length);
      study(c, B, B2, pb, LocalDate.of(2026, 1, 12), null, ct.length);
      c.commit();
    }
    loaded = true;
  }

  private static void study(
      Connection c,
      String tenant,
      String uid,
      long patient,
      LocalDate date,
      String label,
      long size)
      throws Exception {
    long pk;
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into study (tenant, study_uid, patient_pk, study_date, access_labels,"
                + " number_of_series, number_of_instances, modalities_in_study) values (?, ?, ?,"
                + " ?, ?, 1, 1, '{CT}') returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, uid);
      ps.setLong(3, patient);
      ps.setObject(4, date);
      ps.setArray(5, c.createArrayOf("text", label == null ? new String[0] : new String[] {label}));
      pk = IndexDb.pk(ps);
    }
    long series = WadoTestData.series(c, tenant, pk, series(uid), 1);
    WadoTestData.instance(
        c,
        tenant,
        series,
        sop(uid),
        1,
        WadoTestData.EXPLICIT_LE,
        WadoTestData.key(tenant, uid, series(uid), sop(uid)),
        size);
  }
}
