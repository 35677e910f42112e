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
}
