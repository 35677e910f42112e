package org.strata.query.qido;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.query.IndexDb;
import org.strata.query.QidoTestData;
import org.strata.testkit.PlatformTestResource;

/**
 * Searches by Patient ID across patient links (ADR 0012), on the index schema in the real
 * PostgreSQL:
 *
 * <pre>
 * tenant qa: PID-L (ISS-A)  study A1 2025-01-01, series A1.1 CT
 * tenant qb: PID-L (ISS-B)  study B1 2025-02-01          (same Patient ID, another person)
 *            B-77  (ISS-B)  study B2 2025-03-01, series B2.1 MR
 * tenant qc: C-9   (ISS-C)  study C1 2025-04-01
 * linked (when a test links them): qa PID-L, qb B-77, qc C-9
 * </pre>
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class PatientLinkSearchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT = "1.2.826.0.1.3680043.10.1137.77";
  private static final String A1 = ROOT + ".1";
  private static final String B1 = ROOT + ".2";
  private static final String B2 = ROOT + ".3";
  private static final String C1 = ROOT + ".4";
  private static final String LINK = "7d2c9a4e-2f1b-4c3d-9e8f-0a1b2c3d4e5f";

  @Inject QidoService qido;
  @Inject TenantScopes scopes;

  private long pidA;
  private long pidB77;
  private long pidC9;

  @BeforeEach
  void data() throws Exception {
    QidoTestData.ensureLoaded(); // the schema (and the other tests' data, in other tenants)
    try (Connection c = IndexDb.connect()) {
      if (!hasTenant(c, "qa")) {
        execute(
            c,
            "insert into tenant (id, default_issuer) values ('qa', 'STRATA-qa'), ('qb',"
                + " 'STRATA-qb'), ('qc', 'STRATA-qc')");
        long a = patient(c, "qa", "PID-L", "ISS-A");
        long b = patient(c, "qb", "PID-L", "ISS-B");
        long b77 = patient(c, "qb", "B-77", "ISS-B");
        long c9 = patient(c, "qc", "C-9", "ISS-C");
        series(c, "qa", study(c, "qa", A1, a, "2025-01-01"), A1 + ".1", "CT");
        study(c, "qb", B1, b, "2025-02-01");
        series(c, "qb", study(c, "qb", B2, b77, "2025-03-01"), B2 + ".1", "MR");
        study(c, "qc", C1, c9, "2025-04-01");
      }
      pidA = pk(c, "qa", "PID-L");
      pidB77 = pk(c, "qb", "B-77");
      pidC9 = pk(c, "qc", "C-9");
      execute(c, "delete from patient_link where id = '" + LINK + "'");
    }
  }

  private void link(long... patients) throws Exception {
    try (Connection c = IndexDb.connect()) {
      execute(c, "insert into patient_link (id, created_by) values ('" + LINK + "', 'test')");
      for (long p : patients) {
        execute(
            c,
            "insert into patient_link_member (patient_pk, link_id, added_by) values ("
                + p
                + ", '"
                + LINK
                + "', 'test')");
      }
    }
  }

  private JsonNode search(Level level, TenantScope scope, String... keyValues) throws Exception {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], List.of(keyValues[i + 1]));
    }
    QidoService.Result r =
        qido.search(QidoRequest.parse(level, null, null, params, 100, 1000), scope, "http://x")
            .await()
            .indefinitely();
    return r.json() == null ? JSON.createArrayNode() : JSON.readTree(r.json());
  }

  private List<String> studies(TenantScope scope, String... keyValues) throws Exception {
    List<String> uids = new ArrayList<>();
    for (JsonNode study : search(Level.STUDY, scope, keyValues)) {
      uids.add(study.path("0020000D").path("Value").path(0).asText());
    }
    return uids;
  }

  private static TenantScope scope(String tenant, String... visible) {
    return new TenantScope(tenant, Set.of(visible));
  }

  /**
   * The configured scopes ({@code %test.strata.query.tenant-scopes.qa=qb} in
   * application.properties) are what QIDO-RS and C-FIND pass: qa's callers see linked patients of
   * qb, not of qc.
   */
  @Test
  void configuredScopesReachLinkedPatientsOfListedTenantsOnly() throws Exception {
    assertEquals(scope("qa", "qb"), scopes.of("qa"));
    assertEquals(scope("qb"), scopes.of("qb"));
    assertEquals(List.of(A1), studies(scopes.of("qa"), "PatientID", "PID-L"));
    link(pidA, pidB77, pidC9);
    assertEquals(List.of(B2, A1), studies(scopes.of("qa"), "PatientID", "PID-L"));
    assertEquals(List.of(B2), studies(scopes.of("qb"), "PatientID", "B-77"));
  }

  /** {@code "Hosp.A"=St-Marys,qa}: a dotted, mixed-case key and value, read by the one rule. */
  @Test
  void configuredScopesOfATenantWithADotAreReadInLowerCase() {
    assertEquals(scope("hosp.a", "st-marys", "qa"), scopes.of("hosp.a"));
  }

  @Test
  void theSamePatientIdInTwoTenantsIsTwoPatients() throws Exception {
    assertEquals(List.of(A1), studies(scope("qa", "qb"), "PatientID", "PID-L"));
    assertEquals(List.of(B1), studies(scope("qb", "qa"), "PatientID", "PID-L"));
    // Not linked: nothing of another tenant, even one the caller may see.
    assertEquals(List.of(A1), studies(scope("qa", "qb", "qc"), "PatientID", "PID-L"));
  }

  @Test
  void aSearchByPatientIdReturnsTheLinkedPatientsStudiesInTheVisibleTenantsOnly() throws Exception {
    link(pidA, pidB77, pidC9);

    // Newest first; qb's own PID-L (not linked) is not among them, qc is not visible.
    assertEquals(List.of(B2, A1), studies(scope("qa", "qb"), "PatientID", "PID-L"));
    assertEquals(List.of(C1, B2, A1), studies(scope("qa", "qb", "qc"), "PatientID", "PID-L"));
    assertEquals(List.of(A1), studies(TenantScope.of("qa"), "PatientID", "PID-L"));
    assertEquals(
        List.of(B2, A1),
        studies(scope("qa", "qb"), "PatientID", "PID-L", "IssuerOfPatientID", "ISS-A"));
    assertEquals(
        List.of(), studies(scope("qa", "qb"), "PatientID", "PID-L", "IssuerOfPatientID", "ISS-B"));
    assertEquals(List.of(B2, A1), studies(scope("qa", "qb"), "PatientID", "PID-?"));
    // From the other side of the link.
    assertEquals(List.of(B2, A1), studies(scope("qb", "qa"), "PatientID", "B-77"));
    // Other keys still filter, on each study's own values.
    assertEquals(
        List.of(A1), studies(scope("qa", "qb"), "PatientID", "PID-L", "StudyDate", "-20250115"));
    // A search not by Patient ID stays in the caller's tenant.
    assertEquals(List.of(A1), studies(scope("qa", "qb"), "StudyDate", "20250101-20251231"));
    assertEquals(List.of(A1), studies(scope("qa", "qb"), "PatientID", "*"));

    // Each study shows its own Patient ID, and the linked identities the caller may see.
    JsonNode results = search(Level.STUDY, scope("qa", "qb"), "PatientID", "PID-L");
    assertEquals("B-77", results.get(0).path("00100020").path("Value").path(0).asText());
    assertEquals(
        "[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID-L\"]},\"00100021\":{\"vr\":\"LO\",\"Value\":[\"ISS-A\"]}}]",
        results.get(0).path("00101002").path("Value").toString());
    assertEquals("PID-L", results.get(1).path("00100020").path("Value").path(0).asText());
    assertEquals(
        "[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"B-77\"]},\"00100021\":{\"vr\":\"LO\",\"Value\":[\"ISS-B\"]}}]",
        results.get(1).path("00101002").path("Value").toString());
    // Asked for explicitly in a search that is not by Patient ID: present, and empty if unlinked.
    JsonNode b1 =
        search(
                Level.STUDY,
                TenantScope.of("qb"),
                "StudyInstanceUID",
                B1,
                "includefield",
                "OtherPatientIDsSequence")
            .get(0);
    assertEquals("{\"vr\":\"SQ\"}", b1.path("00101002").toString());

    // Series level, the same patients.
    List<String> series = new ArrayList<>();
    for (JsonNode s : search(Level.SERIES, scope("qa", "qb"), "PatientID", "PID-L")) {
      series.add(s.path("0020000E").path("Value").path(0).asText());
    }
    assertEquals(List.of(B2 + ".1", A1 + ".1"), series);

    // Unlinked again: back to the caller's patient alone.
    try (Connection c = IndexDb.connect()) {
      execute(c, "delete from patient_link where id = '" + LINK + "'");
    }
    assertEquals(List.of(A1), studies(scope("qa", "qb", "qc"), "PatientID", "PID-L"));
    // Implicit in a search by Patient ID, it is left out when there are no linked identities.
    assertFalse(
        search(Level.STUDY, scope("qa", "qb"), "PatientID", "PID-L").get(0).has("00101002"));
  }

  private static boolean hasTenant(Connection c, String tenant) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("select count(*) from tenant where id = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    }
  }

  private static long patient(Connection c, String tenant, String id, String issuer)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into patient (tenant, patient_id, issuer, patient_name, patient_name_norm,"
                + " demographics_at) values (?, ?, ?, 'Doe^J', 'DOE J', now()) returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, id);
      ps.setString(3, issuer);
      return single(ps);
    }
  }

  private static long study(Connection c, String tenant, String uid, long patient, String date)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into study (tenant, study_uid, patient_pk, study_date, number_of_series,"
                + " number_of_instances) values (?, ?, ?, ?::date, 1, 1) returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, uid);
      ps.setLong(3, patient);
      ps.setString(4, date);
      return single(ps);
    }
  }

  private static void series(Connection c, String tenant, long study, String uid, String modality)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into series (tenant, study_pk, series_uid, modality, series_number,"
                + " number_of_instances) values (?, ?, ?, ?, 1, 1) returning pk")) {
      ps.setString(1, tenant);
      ps.setLong(2, study);
      ps.setString(3, uid);
      ps.setString(4, modality);
      single(ps);
    }
  }

  private static long pk(Connection c, String tenant, String id) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("select pk from patient where tenant = ? and patient_id = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, id);
      return single(ps);
    }
  }

  private static long single(PreparedStatement ps) throws Exception {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
