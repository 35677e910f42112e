package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.tiering.TieringTestData.cold;
import static org.strata.tiering.TieringTestData.hot;
import static org.strata.tiering.TieringTestData.location;
import static org.strata.tiering.TieringTestData.read;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.strata.storage.TieredStorage;
import org.strata.testkit.PlatformTestResource;
import org.strata.tiering.TieringTestData.Stored;
import org.strata.tiering.repository.MoveJob;
import org.strata.tiering.repository.MoveJobRepository;
import org.strata.tiering.service.MoveState;
import org.strata.tiering.service.MoveWorker;

/**
 * Moves between two real S3 servers, journaled in the real PostgreSQL, the index told through the
 * real Kafka. The worker is driven step by step: a crash is the test stopping between two steps (or
 * rewinding the journal, as a kill -9 between a step's effect and its journal write leaves it), a
 * restart is the worker resuming from the journal alone.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class MoveTest {
  private static final Duration SAFETY_NET = Duration.ofMinutes(2);

  @Inject MoveWorker worker;
  @Inject MoveJobRepository jobs;

  @Test
  void aStudyMovesToTheSecondServerAndIsReadableWhereTheIndexSaysAtEveryStep() throws Exception {
    Stored[] study = TieringTestData.study(2);
    UUID request = requestMove(study[0].study(), 2);
    IndexStandIn index = IndexStandIn.shared();
    List<UUID> ids = jobIds(request);
    int steps = 0;
    while (!finished(request)) {
      for (UUID id : ids) {
        worker.step(id);
        steps++;
      }
      index.poll();
      // What query does for a WADO-RS: the location from the index, the bytes from its tier.
      for (Stored s : study) {
        assertArrayEquals(s.bytes(), readWhereTheIndexSays(s), "step " + steps);
      }
      assertTrue(steps < 2000, "the move does not end");
    }
    for (Stored s : study) {
      assertEquals("cold|strata-cold", location(s.sop()));
      assertArrayEquals(s.bytes(), read(cold(), s.key()));
      assertArrayEquals(s.bytes(), Files.readAllBytes(onSecondServersDisk(s.key())));
      assertFalse(hot().stat(s.key()).isPresent(), "the source is deleted");
    }
    assertTrue(cold().stat(study[0].sidecar()).isPresent(), "the sidecar moved too");
    assertFalse(hot().stat(study[0].sidecar()).isPresent());
    given()
        .get("/admin/moves/" + request)
        .then()
        .statusCode(200)
        .body("finished", equalTo(true), "states.DONE", equalTo(2));
    // Asked again: nothing to do.
    given()
        .post("/admin/tenants/tiering/studies/" + study[0].study() + "/moves?tier=cold")
        .then()
        .statusCode(202)
        .body("planned", equalTo(0), "alreadyOnTier", equalTo(2));
  }

  @Test
  void aCopyDamagedOnTheSecondServerIsRefusedAndTheSourceKept() throws Exception {
    Stored s = TieringTestData.study(1)[0];
    UUID request = requestMove(s.study(), 1);
    UUID job = jobIds(request).get(0);
    assertEquals(MoveState.COPIED, worker.step(job).orElseThrow().state());

    // Same size, one byte changed, behind the S3 server's back.
    Path copy = onSecondServersDisk(s.key());
    byte[] damaged = Files.readAllBytes(copy);
    damaged[damaged.length / 2] ^= 0x20;
    Files.write(copy, damaged);

    assertEquals(MoveState.REFUSED, worker.step(job).orElseThrow().state());
    assertArrayEquals(s.bytes(), read(hot(), s.key()), "the source is kept");
    assertFalse(cold().stat(s.key()).isPresent(), "the damaged copy is removed");
    assertEquals("hot|strata-objects", location(s.sop()), "the index was never told");
    given()
        .get("/admin/moves/" + request)
        .then()
        .statusCode(200)
        .body(
            "finished", equalTo(true),
            "jobs[0].state", equalTo("REFUSED"),
            "jobs[0].reason", equalTo("the copy's SHA-256 differs from what ingest recorded"));
  }

  /**
   * A kill -9 right after the step at {@code lost} did its work but before the journal recorded it:
   * the journal still says {@code lost}. The restarted worker completes the move.
   */
  @ParameterizedTest
  @EnumSource(
      value = MoveState.class,
      names = {"PLANNED", "COPIED", "VERIFIED", "SWITCH_REQUESTED", "SWITCHED"})
  void aCrashAfterAnyStepIsCompletedOnRestart(MoveState lost) throws Exception {
    Stored s = TieringTestData.study(1)[0];
    UUID request = requestMove(s.study(), 1);
    UUID job = jobIds(request).get(0);
    IndexStandIn index = IndexStandIn.shared();
    if (lost == MoveState.PLANNED) {
      // Killed in the middle of the copy: a partial object on the target.
      cold().put(s.key(), new ByteArrayInputStream(new byte[] {1, 2, 3}), "x/y", Map.of());
    } else {
      stepUntilPast(job, lost, index);
      TieringTestData.execute(
          "update tiering.move_job set state = '"
              + lost
              + "', not_before = now() where id = '"
              + job
              + "'");
    }
    resume(request, index);
    assertEquals(MoveState.DONE, jobs.ofRequest(request).get(0).state());
    assertEquals("cold|strata-cold", location(s.sop()));
    assertArrayEquals(s.bytes(), read(cold(), s.key()));
    assertFalse(hot().stat(s.key()).isPresent());
    assertFalse(hot().stat(s.sidecar()).isPresent());
    assertTrue(cold().stat(s.sidecar()).isPresent());
  }

  @Test
  void anInstanceDeletedFromTheIndexDuringTheMoveIsRolledBack() throws Exception {
    Stored s = TieringTestData.study(1)[0];
    UUID job = jobIds(requestMove(s.study(), 1)).get(0);
    worker.step(job); // copied
    worker.step(job); // verified
    worker.step(job); // InstanceMoved published; the index has not applied it yet
    TieringTestData.execute(
        "delete from instance where tenant = 'tiering' and sop_instance_uid = '" + s.sop() + "'");

    MoveJobRepository.Transition t = worker.step(job).orElseThrow();
    assertEquals(MoveState.ROLLED_BACK, t.state());
    assertFalse(cold().stat(s.key()).isPresent(), "the copy nobody points at is removed");
    assertArrayEquals(s.bytes(), read(hot(), s.key()), "the source is left to the deletion");
  }

  @Test
  void aHeldStudysSourceIsKeptUntilTheHoldIsLifted() throws Exception {
    Stored s = TieringTestData.study(1)[0];
    String hold = "/admin/tenants/tiering/studies/" + s.study() + "/hold";
    given()
        .put(hold + "?reason=court order 42")
        .then()
        .statusCode(200)
        .body("reason", equalTo("court order 42"), "setBy", equalTo("local"));
    UUID job = jobIds(requestMove(s.study(), 1)).get(0);
    stepUntilPast(job, MoveState.SWITCH_REQUESTED, IndexStandIn.shared());
    assertEquals("cold|strata-cold", location(s.sop()));

    MoveJobRepository.Transition t = worker.step(job).orElseThrow();
    assertEquals(MoveState.SWITCHED, t.state());
    assertEquals("legal hold: the source is kept until the hold is lifted", t.reason());
    assertArrayEquals(s.bytes(), read(hot(), s.key()), "a held study loses no object");

    given().delete(hold).then().statusCode(204);
    given().get(hold).then().statusCode(404);
    assertEquals(MoveState.DONE, worker.step(job).orElseThrow().state());
    assertFalse(hot().stat(s.key()).isPresent());
    assertArrayEquals(s.bytes(), read(cold(), s.key()));
  }

  @Test
  void badRequestsAreRefusedWithAReason() throws Exception {
    given()
        .post("/admin/tenants/tiering/studies/1.2.3/moves?tier=glacier")
        .then()
        .statusCode(400)
        .body("reason", equalTo("tier: not a configured tier"));
    given()
        .post("/admin/tenants/tiering/studies/1.2.x/moves?tier=cold")
        .then()
        .statusCode(400)
        .body("reason", equalTo("malformed study UID"));
    given().post("/admin/tenants/tiering/studies/1.2.3.999/moves?tier=cold").then().statusCode(404);
    given().get("/admin/moves/not-a-uuid").then().statusCode(400);
    given()
        .put("/admin/tenants/tiering/studies/1.2.3/hold")
        .then()
        .statusCode(400)
        .body("reason", equalTo("reason: required, at most 1000 characters"));
    given().get("/admin/moves/" + UUID.randomUUID()).then().statusCode(404);
    given()
        .get("/admin/tiers")
        .then()
        .statusCode(200)
        .body("name", equalTo(List.of("hot", "cold")), "[1].bucket", equalTo("strata-cold"));
  }

  private void stepUntilPast(UUID job, MoveState lost, IndexStandIn index) throws Exception {
    await()
        .atMost(SAFETY_NET)
        .until(
            () -> {
              index.poll();
              MoveState now = worker.step(job).orElseThrow().state();
              return now.ordinal() > lost.ordinal();
            });
  }

  private void resume(UUID request, IndexStandIn index) {
    TieringTestData.runMovesUntil(worker, index, () -> finished(request));
  }

  private static byte[] readWhereTheIndexSays(Stored s) throws Exception {
    String bucket = location(s.sop()).split("\\|")[1];
    TieredStorage storage = TieringTestData.storage();
    return read(storage.storeOfBucket(bucket), s.key());
  }

  private static Path onSecondServersDisk(String key) {
    return TieringTestData.platform().s3ColdBucketDir("strata-cold").resolve(key);
  }

  private static UUID requestMove(String study, int planned) {
    String id =
        given()
            .post("/admin/tenants/tiering/studies/" + study + "/moves?tier=cold")
            .then()
            .statusCode(202)
            .body("planned", equalTo(planned))
            .extract()
            .path("request");
    return UUID.fromString(id);
  }

  private List<UUID> jobIds(UUID request) throws Exception {
    return jobs.ofRequest(request).stream().map(MoveJob::id).toList();
  }

  private boolean finished(UUID request) throws Exception {
    return jobs.ofRequest(request).stream().allMatch(j -> j.state().finished());
  }
}
