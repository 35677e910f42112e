package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.strata.tiering.TieringTestData.cold;
import static org.strata.tiering.TieringTestData.count;
import static org.strata.tiering.TieringTestData.hot;
import static org.strata.tiering.TieringTestData.location;
import static org.strata.tiering.TieringTestData.read;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.events.StudyUpdated;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;
import org.strata.tiering.TieringTestData.Stored;
import org.strata.tiering.service.MoveWorker;

/**
 * Policies evaluated on events (ADR 0064): the schedule is off in the test profile ({@code
 * strata.tiering.policies.scheduled=false}), so only index's StudyUpdated on the real Kafka can
 * make a policy that applies at ingest (since ingest, older than P0D) move a new study. The move
 * itself is the worker's, driven here as in MoveTest; index's part is IndexStandIn's.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class PolicyOnEventsTest {
  private static final Duration SAFETY_NET = Duration.ofMinutes(2);

  @Inject MoveWorker worker;

  @Test
  void aPolicyOfAgeZeroMovesAStudyIndexJustCommittedWithoutTheSchedule() throws Exception {
    // SM (slide microscopy): no other test of this JVM stores it.
    Stored[] study = TieringTestData.study(2, "SM", LocalDate.now(ZoneOffset.UTC));
    String path =
        "/admin/tenants/tiering/policies/sm-at-ingest-"
            + UUID.randomUUID().toString().substring(0, 8);
    given()
        .contentType("application/json")
        .body(
            "{\"enabled\": true, \"modality\": \"SM\", \"since\": \"ingest\", \"olderThan\":"
                + " \"P0D\", \"toTier\": \"cold\"}")
        .put(path)
        .then()
        .statusCode(200);
    try {
      // As index publishes after each committed batch of the study (three batches here).
      for (int batch = 1; batch <= 3; batch++) {
        TieringTestData.publish(
            Topics.STUDY_UPDATED,
            new StudyUpdated(
                UUID.randomUUID().toString(),
                Instant.now(),
                TieringTestData.TENANT,
                study[0].study(),
                1,
                Math.min(batch, 2),
                List.of("SM")));
      }
      String jobs =
          "select count(*) from tiering.move_job where study_uid = '" + study[0].study() + "'";
      await().atMost(SAFETY_NET).until(() -> count(jobs) == 2);

      TieringTestData.runMovesUntil(
          worker, IndexStandIn.shared(), () -> count(jobs + " and state = 'DONE'") == 2);
      for (Stored s : study) {
        assertEquals("cold|strata-cold", location(s.sop()));
        assertArrayEquals(s.bytes(), read(cold(), s.key()));
        assertFalse(hot().stat(s.key()).isPresent(), "only on cold");
      }
      assertEquals(2L, count(jobs), "the study's three updates planned each instance once");
    } finally {
      given().post(path + "/disable").then().statusCode(200).body("enabled", equalTo(false));
    }
  }
}
