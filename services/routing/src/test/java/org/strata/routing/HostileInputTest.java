package org.strata.routing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.hostile.HostileHttp;
import org.strata.testkit.hostile.HostileReport;
import org.strata.testkit.hostile.HostileRun;
import org.strata.testkit.hostile.Liveness;

/**
 * The hostile-input suite against routing's admin API (rules, destinations, jobs): every parameter
 * and path segment of its OpenAPI document, hostile bodies on PUT. Every input is answered within
 * the deadline and never with a 5xx; afterwards routing is UP, its heap is bounded and the rules
 * file is as it was (no hostile input changed a rule or a destination). Same profile and platform
 * as {@link RoutingTest}: one application start.
 */
@QuarkusTest
@TestProfile(RoutingTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3"))
class HostileInputTest {
  private static final String HOST = "127.0.0.1";

  /** Growth of the heap after GC the run may cause: routing keeps nothing per refused request. */
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  @Test
  void everyHostileInputIsAnsweredAndTheRulesStayAsTheyWere() throws Exception {
    IndexRows.ensureSchema(); // as deployed: the dry run of a study reads the index
    int http = RestAssured.port;
    given()
        .contentType(ContentType.JSON)
        .body("{\"dimse\":{\"aeTitle\":\"KNOWN\",\"host\":\"127.0.0.1\",\"port\":1}}")
        .put("/admin/destinations/known-destination")
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"when\":\"false\",\"enabled\":false,\"destination\":\"known-destination\"}")
        .put("/admin/rules/known-rule")
        .then()
        .statusCode(200);
    String before = Files.readString(RoutingTestProfile.RULES);
    HostileRun run = HostileRun.fromSystemProperties(200);
    HostileReport report = new HostileReport("routing", run.seed());
    long heapBefore = Liveness.heapAfterGc();

    Map<String, String> known =
        Map.of(
            "id",
            "known-rule",
            "name",
            "known-destination",
            "destination",
            "known-destination",
            "tenant",
            "local");
    new HostileHttp(HOST, http, HostileHttp.openApi(HOST, http), known, List.of(), "")
        .run(run, report);

    Liveness.checkAfterRun(HOST, http, heapBefore, HEAP_GROWTH_BOUND, report);
    String after = Files.readString(RoutingTestProfile.RULES);
    if (!before.equals(after)) {
      report.violation("the rules file changed");
    }
    System.out.print(report.table());
    report.assertPassed();
    assertEquals(before, after);
    assertTrue(
        !run.only().isEmpty() || report.total(HostileReport.Counts::refused) > 0,
        "nothing was refused");
  }
}
