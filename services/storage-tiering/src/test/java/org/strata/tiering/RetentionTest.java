package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.tiering.TieringTestData.TENANT;
import static org.strata.tiering.TieringTestData.cold;
import static org.strata.tiering.TieringTestData.hot;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.audit.AuditTopic;
import org.strata.tiering.TieringTestData.Stored;
import org.strata.tiering.service.RetentionPurge;
import org.strata.tiering.service.TieringMetrics;

/**
 * Retention with the test policies file's rule for tenant {@code tiering} (10 years after the Study
 * Date, children until their 25th birthday), grace zero: an expired study is deleted from the index
 * through InstanceDeleted (index's part played by {@link IndexStandIn}) and every object under it
 * on both tiers removed; a recent study, a child's, an undated one, a held one and one of a held
 * patient stay whole.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class RetentionTest {
  @Inject RetentionPurge purge;
  @Inject TieringMetrics metrics;

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void expiredStudiesArePurgedEverywhereOthersAndHeldOnesStay() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Stored[] expired = TieringTestData.study(2, "CT", today.minusYears(11));
    Stored recent = TieringTestData.study(1, "CT", today.minusYears(9))[0];
    Stored child = TieringTestData.study(1, "CT", today.minusYears(11))[0];
    Stored held = TieringTestData.study(1, "CT", today.minusYears(11))[0];
    Stored undated = TieringTestData.study(1, "CT", null)[0];
    Stored patientHeld = TieringTestData.study(1, "CT", today.minusYears(11))[0];
    LocalDate childBirth = today.minusYears(12);
    TieringTestData.execute(
        "update patient set birth_date = '"
            + childBirth
            + "' where pk = (select patient_pk from study where study_uid = '"
            + child.study()
            + "')");
    // More of the expired study than the index knows: an older version left on the cold tier and
    // a frame index on hot.
    Stored e = expired[0];
    cold()
        .put(
            ObjectKeys.instance(TENANT, e.study(), e.series(), e.sop(), 2),
            new ByteArrayInputStream(e.bytes()),
            "application/dicom",
            Map.of());
    hot()
        .put(
            ObjectKeys.frameIndex(TENANT, e.study(), e.series(), e.sop()),
            new ByteArrayInputStream(new byte[] {1, 2, 3}),
            "application/octet-stream",
            Map.of());
    given()
        .put("/admin/tenants/tiering/studies/" + held.study() + "/hold?reason=litigation")
        .then()
        .statusCode(200);

    String patient = patientIdOf(patientHeld);
    given()
        .put("/admin/tenants/tiering/patients/" + patient + "/hold?reason=litigation")
        .then()
        .statusCode(200)
        .body("studies", org.hamcrest.Matchers.equalTo(1));

    // The dry run first, written down: only the expired, unheld study, its two instances' bytes,
    // all on hot; and it plans nothing.
    long bytes = expired[0].bytes().length + expired[1].bytes().length;
    given()
        .get("/admin/retention/dry-run?tenant=tiering")
        .then()
        .statusCode(200)
        .body(
            "rule", org.hamcrest.Matchers.equalTo("tiering-ten-years"),
            "studyCount", org.hamcrest.Matchers.equalTo(1),
            "instances", org.hamcrest.Matchers.equalTo(2),
            "bytes", org.hamcrest.Matchers.equalTo((int) bytes),
            "bytesByTier", org.hamcrest.Matchers.equalTo(Map.of("hot", (int) bytes)),
            "studies.study", org.hamcrest.Matchers.equalTo(List.of(e.study())),
            "studies[0].expiresOn", org.hamcrest.Matchers.equalTo(today.minusYears(1).toString()));
    given().get("/admin/retention/dry-run").then().statusCode(400);
    assertEquals(
        0L,
        TieringTestData.count(
            "select count(*) from tiering.retention_purge where study_uid = '" + e.study() + "'"),
        "a dry run purges nothing");

    given().post("/admin/retention/evaluations").then().statusCode(200);
    assertEquals(today.minusYears(1).toString(), expiry(e), "10 years after the Study Date");
    assertEquals(
        childBirth.plusYears(25).toString(), expiry(child), "a child's: the 25th birthday");
    assertEquals(
        1L,
        TieringTestData.count(
            "select count(*) from tiering.retention_purge where study_uid in ("
                + quoted(e, recent, child, held, undated, patientHeld)
                + ")"),
        "only the expired, unheld study is planned");
    given()
        .get("/admin/tenants/tiering/studies/" + patientHeld.study() + "/hold")
        .then()
        .statusCode(200)
        .body("reason", org.hamcrest.Matchers.equalTo("patient hold: litigation"));

    java.time.Instant since = java.time.Instant.now();
    purge.runDue(); // publishes InstanceDeleted
    List<AuditRecord> purged =
        new AuditTopic(bootstrap)
            .await(
                r ->
                    "strata-storage-tiering".equals(r.service())
                        && !r.occurredAt().isBefore(since)
                        && AuditEventTypes.STUDY_DELETED.equals(r.eventType()),
                1,
                Duration.ofMinutes(2));
    assertEquals(1, purged.size(), "one purge, one record: " + purged);
    assertEquals(List.of(e.study()), purged.get(0).studyInstanceUids());
    assertEquals(AuditRecord.Action.D, purged.get(0).action());
    assertEquals(TENANT, purged.get(0).tenant());
    assertEquals(patientIdOf(e), purged.get(0).patients().get(0).id(), "the patient, known");
    assertEquals("retention purge, rule tiering-ten-years: 2 instances", purged.get(0).detail());
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              IndexStandIn.shared().poll();
              return TieringTestData.count(
                      "select count(*) from study where study_uid = '" + e.study() + "'")
                  == 0;
            });
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              purge.runDue();
              return purgeOf(e).get("state").equals("DONE");
            });

    String prefix = ObjectKeys.study(TENANT, e.study());
    assertEquals(List.of(), keys(hot(), prefix), "nothing of the expired study left on hot");
    assertEquals(List.of(), keys(cold(), prefix), "nor on cold");
    assertEquals(5, purgeOf(e).get("objectsRemoved"), "2 objects, sidecar, frames, version 2");
    for (Stored kept : List.of(recent, child, held, undated, patientHeld)) {
      assertArrayEquals(kept.bytes(), TieringTestData.read(hot(), kept.key()), kept.study());
      assertEquals(
          1L,
          TieringTestData.count(
              "select count(*) from study where study_uid = '" + kept.study() + "'"));
    }

    metrics.refreshUsage();
    String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(scrape.contains("strata_tiering_purges_total"), "purges counted");
    long hotInstances =
        TieringTestData.count(
            "select count(*) from object_location l join instance i on i.pk = l.instance_pk"
                + " where i.tenant = 'tiering' and l.bucket = 'strata-objects'");
    assertTrue(
        scrape.contains(
            "strata_tiering_objects{tenant=\"tiering\",tier=\"hot\"} " + (double) hotInstances),
        "objects per tier and tenant: " + hotInstances);
  }

  private static String patientIdOf(Stored s) throws Exception {
    try (var c = TieringTestData.connect();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "select p.patient_id from patient p join study s on s.patient_pk = p.pk where"
                    + " s.study_uid = '"
                    + s.study()
                    + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String expiry(Stored s) throws Exception {
    try (var c = TieringTestData.connect();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "select expires_on from tiering.study_retention where study_uid = '"
                    + s.study()
                    + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Map<String, Object> purgeOf(Stored s) {
    JsonPath p = given().get("/admin/retention/purges").then().statusCode(200).extract().jsonPath();
    return p.getMap("purges.find { it.study == '" + s.study() + "' }");
  }

  private static List<String> keys(ObjectStore store, String prefix) {
    List<String> out = new ArrayList<>();
    store.list(prefix).forEach(o -> out.add(o.key()));
    return out;
  }

  private static String quoted(Stored... studies) {
    List<String> out = new ArrayList<>();
    for (Stored s : studies) {
      out.add("'" + s.study() + "'");
    }
    return String.join(", ", out);
  }
}
