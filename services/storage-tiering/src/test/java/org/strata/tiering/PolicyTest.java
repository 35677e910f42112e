package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;
import org.strata.tiering.TieringTestData.Stored;
import org.strata.tiering.service.PolicyEvaluator;

/**
 * The policies file of the test profile ({@code src/test/resources/policies.json}): an enabled
 * policy moving CT studies of tenant {@code tiering} whose Study Date is over a year old to {@code
 * cold}, and a disabled one for MR. A known data set: which studies each selects, with the bytes
 * per tier, written down here; the evaluation plans moves for the enabled policy only.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class PolicyTest {
  @Inject PolicyEvaluator evaluator;

  @Test
  void theDryRunListsWhatWouldMoveAndTheEvaluationPlansOnlyEnabledPolicies() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Stored[] oldCt = TieringTestData.study(2, "CT", today.minusYears(3));
    Stored[] newCt = TieringTestData.study(1, "CT", today.minusMonths(2));
    Stored[] oldMr = TieringTestData.study(1, "MR", today.minusYears(2));
    TieringTestData.study(1, "CT", null); // no Study Date: never selected by age

    JsonPath dryRun =
        given().get("/admin/policies/dry-run").then().statusCode(200).extract().jsonPath();
    Map<String, Object> ct = dryRun.getMap("find { it.name == 'ct-over-a-year' }");
    Map<String, Object> mr = dryRun.getMap("find { it.name == 'mr-over-a-year' }");
    // Studies of other tests of this JVM may be selected too: only ours are checked, exactly.
    List<String> ctStudies = dryRun.getList("find { it.name == 'ct-over-a-year' }.studies");
    assertTrue(ctStudies.contains("tiering/" + oldCt[0].study()));
    assertTrue(!ctStudies.contains("tiering/" + newCt[0].study()));
    assertTrue(!ctStudies.contains("tiering/" + oldMr[0].study()));
    assertEquals(true, ct.get("enabled"));
    assertEquals(false, mr.get("enabled"));
    List<String> mrStudies = dryRun.getList("find { it.name == 'mr-over-a-year' }.studies");
    assertTrue(mrStudies.contains("tiering/" + oldMr[0].study()));
    long oldCtBytes = oldCt[0].bytes().length + oldCt[1].bytes().length;
    assertTrue(
        ((Number) ((Map<?, ?>) ct.get("bytesByTier")).get("hot")).longValue() >= oldCtBytes,
        "the CT bytes on hot are counted");

    int planned = evaluator.apply();
    assertTrue(planned >= 2, "the old CT study's two instances are planned: " + planned);
    String location = TieringTestData.location(oldCt[0].sop());
    assertEquals("hot|strata-objects", location, "planned, not moved: the worker moves");
    assertEquals(
        2L,
        TieringTestData.count(
            "select count(*) from tiering.move_job where study_uid = '" + oldCt[0].study() + "'"));
    assertEquals(
        0L,
        TieringTestData.count(
            "select count(*) from tiering.move_job where study_uid in ('"
                + newCt[0].study()
                + "', '"
                + oldMr[0].study()
                + "')"));
    // Evaluated again before the worker moved them: nothing planned twice.
    evaluator.apply();
    assertEquals(
        2L,
        TieringTestData.count(
            "select count(*) from tiering.move_job where study_uid = '" + oldCt[0].study() + "'"));
    given()
        .get("/admin/policies")
        .then()
        .statusCode(200)
        .body("find { it.name == 'ct-over-a-year' }.olderThan", equalTo("P1Y"));
  }

  /**
   * A policy added, changed, disabled and enabled through the admin API: each change a new version
   * with the old one kept; the SOP class and size selectors pick single instances of a study; the
   * dry-run's objects, bytes and monthly cost per tier are as computed by hand from the test prices
   * (a hot GB-month costs 2^30, a cold one 2^29: the cost is the bytes, or half of them). The
   * policy's name is new each run: the tests' policies file (under target/) keeps what the API
   * wrote.
   */
  @Test
  void aPolicyChangedThroughTheApiIsANewVersionAndSelectsBySopClassAndSize() throws Exception {
    LocalDate old = LocalDate.now(ZoneOffset.UTC).minusYears(3);
    Stored[] angio = TieringTestData.study(2, "XA", old);
    Stored[] other = TieringTestData.study(2, "XA", old);
    String xa = "1.2.840.10008.5.1.4.1.1.12.1";
    TieringTestData.execute(
        "update instance set sop_class_uid = '"
            + xa
            + "' where sop_instance_uid in ('"
            + angio[1].sop()
            + "', '"
            + other[0].sop()
            + "')");
    String name = "xa-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String path = "/admin/tenants/tiering/policies/" + name;
    String v1 =
        "{\"enabled\": false, \"modality\": \"XA\", \"sopClass\": \""
            + xa
            + "\", \"since\": \"study-date\", \"olderThan\": \"P1Y\", \"toTier\": \"cold\"}";
    putPolicy(path, v1)
        .statusCode(200)
        .body("version", equalTo(1), "tenant", equalTo("tiering"), "enabled", equalTo(false));
    // The same policy again: no new version.
    putPolicy(path, v1).statusCode(200).body("version", equalTo(1));

    // By SOP class: one instance of each study; the dry-run's totals are of those two.
    JsonPath dry = given().get(path + "/dry-run").then().statusCode(200).extract().jsonPath();
    long bothXa = angio[1].bytes().length + other[0].bytes().length;
    assertEquals(
        List.of("tiering/" + angio[0].study(), "tiering/" + other[0].study()).stream()
            .sorted()
            .toList(),
        dry.getList("studies", String.class).stream().sorted().toList());
    assertEquals(2, dry.getInt("from.hot.objects"));
    assertEquals(bothXa, dry.getLong("from.hot.bytes"));
    assertEquals(2, dry.getInt("to.cold.objects"));
    assertEquals(bothXa, dry.getLong("to.cold.bytes"));
    assertEquals(bothXa, dry.getDouble("from.hot.monthlyCost"), 0.0001);
    assertEquals(bothXa / 2.0, dry.getDouble("to.cold.monthlyCost"), 0.0001);
    assertEquals(bothXa, dry.getDouble("monthlyCostNow"), 0.0001);
    assertEquals("USD", dry.getString("currency"));

    // Changed: the SOP class and a minimum size that only angio's larger instance reaches.
    long min = angio[1].bytes().length;
    String v2 = v1.replace("\"since\"", "\"minBytes\": " + min + ", \"since\"");
    assertTrue(other[0].bytes().length < min, "the other study's XA instance is smaller");
    putPolicy(path, v2).statusCode(200).body("version", equalTo(2), "minBytes", equalTo((int) min));
    given()
        .post(path + "/enable")
        .then()
        .statusCode(200)
        .body("version", equalTo(3), "enabled", equalTo(true));
    JsonPath got = given().get(path).then().statusCode(200).extract().jsonPath();
    assertEquals(3, got.getInt("version"));
    assertEquals(List.of(1, 2), got.getList("history.version", Integer.class));
    assertEquals(List.of(false, false), got.getList("history.enabled", Boolean.class));
    assertEquals("local", got.getString("history[0].replacedBy"));
    assertTrue(got.getString("history[1].minBytes") != null, "version 2 kept as it was");
    given()
        .get("/admin/tenants/tiering/policies")
        .then()
        .statusCode(200)
        .body("policies.find { it.name == '" + name + "' }.version", equalTo(3));

    evaluator.apply();
    assertEquals(
        1L,
        TieringTestData.count(
            "select count(*) from tiering.move_job where sop_instance_uid = '"
                + angio[1].sop()
                + "'"));
    assertEquals(
        0L,
        TieringTestData.count(
            "select count(*) from tiering.move_job where sop_instance_uid in ('"
                + angio[0].sop()
                + "', '"
                + other[0].sop()
                + "', '"
                + other[1].sop()
                + "')"));
    given().post(path + "/disable").then().statusCode(200).body("version", equalTo(4));

    // Refused with a reason, nothing written.
    putPolicy(path, v1.replace("study-date", "last-read"))
        .statusCode(400)
        .body(
            "reason",
            org.hamcrest.Matchers.containsString("since is study-date, ingest or access"));
    putPolicy(path, v1.replace("cold", "glacier")).statusCode(400);
    putPolicy(path, "{\"name\": \"x\"}").statusCode(400);
    putPolicy(path, "[1]").statusCode(400);
    given().get("/admin/tenants/tiering/policies/no-such-policy").then().statusCode(404);
    given().post("/admin/tenants/tiering/policies/no-such-policy/enable").then().statusCode(404);
    given().post(path + "/toggle").then().statusCode(404);
    given().get(path).then().statusCode(200).body("version", equalTo(4));
  }

  private static io.restassured.response.ValidatableResponse putPolicy(String path, String body) {
    return given().contentType("application/json").body(body).put(path).then();
  }
}
