package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.hostile.HostileHttp;
import org.strata.testkit.hostile.HostileReport;
import org.strata.testkit.hostile.HostileRun;
import org.strata.testkit.hostile.Liveness;

/**
 * The hostile-input suite against the audit API as an auditor (required mode: without a token every
 * input would stop at 401): every parameter of its OpenAPI document, answered within the deadline
 * and never with a 5xx; afterwards the service is UP, its heap bounded and the chain still
 * verifies. {@code make fuzz} runs it longer.
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class HostileInputTest extends AuditTestSupport {
  private static final String HOST = "127.0.0.1";

  /** The audit service keeps nothing per request; 64 MiB would be ~30 KiB leaked a request. */
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  @Test
  void everyHostileInputIsAnsweredAndTheChainStaysIntact() throws Exception {
    AuditRecordMother known = new AuditRecordMother();
    publishAndAwait(List.of(known.build()));
    int http = RestAssured.port;
    HostileRun run = HostileRun.fromSystemProperties(200);
    HostileReport report = new HostileReport("audit", run.seed());
    long heapBefore = Liveness.heapAfterGc();

    var openApi =
        new ObjectMapper()
            .readTree(
                asAuditor()
                    .get("/q/openapi?format=json")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asByteArray());
    Map<String, String> values =
        Map.of(
            "patient",
            known.issuer + "|" + known.patientId,
            "patient.identifier",
            known.issuer + "|" + known.patientId,
            "entity",
            known.studyUid,
            "from",
            "2020-01-01",
            "to",
            "2099-12-31");
    new HostileHttp(HOST, http, openApi, values, List.of(), "")
        .withHeader("Authorization", new FreshToken()::bearer)
        .run(run, report);

    Liveness.checkAfterRun(HOST, http, heapBefore, HEAP_GROWTH_BOUND, report);
    boolean valid =
        asAuditor()
            .get("/audit/verify")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getBoolean("valid");
    if (!valid) {
      report.violation("the chain does not verify after the run");
    }
    System.out.print(report.table());
    report.assertPassed();
    assertTrue(
        !run.only().isEmpty() || report.total(HostileReport.Counts::refused) > 0,
        "nothing was refused");
  }

  /** The auditor's token, renewed every minute (tokens of the test realm live five minutes). */
  private static final class FreshToken {
    private String token;
    private long fetchedAt;

    synchronized String bearer() {
      if (token == null || System.nanoTime() - fetchedAt > 60_000_000_000L) {
        token = tokens().user("auditor");
        fetchedAt = System.nanoTime();
      }
      return "Bearer " + token;
    }
  }
}
