package org.strata.tiering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.hostile.HostileHttp;
import org.strata.testkit.hostile.HostileReport;
import org.strata.testkit.hostile.HostileRun;
import org.strata.testkit.hostile.Liveness;

/**
 * The hostile-input suite against storage-tiering's admin API: every parameter and path segment of
 * its OpenAPI document. Every input is answered within the deadline and never with a 5xx;
 * afterwards the service is UP, its heap bounded, and no move was journaled (the moves aim at a
 * tenant without studies: only a hostile value could make one happen).
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class HostileInputTest {
  private static final String HOST = "127.0.0.1";
  private static final String TENANT = "hostile-none";
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  @Test
  void everyHostileInputIsAnsweredAndNothingMoves() throws Exception {
    TieringTestData.study(1); // the index schema exists, so reads reach PostgreSQL
    int http = RestAssured.port;
    HostileRun run = HostileRun.fromSystemProperties(200);
    HostileReport report = new HostileReport("storage-tiering", run.seed());
    long heapBefore = Liveness.heapAfterGc();
    Map<String, String> known =
        Map.of(
            "tenant",
            TENANT,
            "study",
            "1.2.826.0.1.3680043.10.1146.404",
            "request",
            UUID.randomUUID().toString(),
            "tier",
            "cold",
            "write:tenant",
            TENANT);
    new HostileHttp(HOST, http, HostileHttp.openApi(HOST, http), known, List.of(), "")
        .run(run, report);

    Liveness.checkAfterRun(HOST, http, heapBefore, HEAP_GROWTH_BOUND, report);
    long moves = movesOutsideTheTestTenant();
    if (moves != 0) {
      report.violation(moves + " moves were journaled by hostile input");
    }
    System.out.print(report.table());
    report.assertPassed();
    assertEquals(0, moves);
    assertTrue(
        !run.only().isEmpty() || report.total(HostileReport.Counts::refused) > 0,
        "nothing was refused");
  }

  private static long movesOutsideTheTestTenant() throws Exception {
    try (Connection c = TieringTestData.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from tiering.move_job where tenant <> '"
                    + TieringTestData.TENANT
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
