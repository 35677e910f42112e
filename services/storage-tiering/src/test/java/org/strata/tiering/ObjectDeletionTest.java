package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.tiering.TieringTestData.TENANT;
import static org.strata.tiering.TieringTestData.cold;
import static org.strata.tiering.TieringTestData.hot;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.events.InstanceDeleted;
import org.strata.events.ObjectLocation;
import org.strata.events.Topics;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;
import org.strata.tiering.TieringTestData.Stored;
import org.strata.tiering.service.ObjectDeletion;

/**
 * Deletes that delete: index's InstanceDeleted (published here on the real Kafka, the index rows
 * removed as index removes them) makes storage-tiering remove the objects after the grace period
 * (zero in tests), with the instance's other versions on every tier the event does not name, unless
 * the study is held or the index points at the key again.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class ObjectDeletionTest {
  @Inject ObjectDeletion deletion;

  @Test
  void aDeletedStudysObjectsGoUnlessHeldOrStoredAgain() throws Exception {
    Stored deleted = TieringTestData.study(1)[0];
    Stored held = TieringTestData.study(1)[0];
    Stored storedAgain = TieringTestData.study(1)[0];
    given()
        .put("/admin/tenants/tiering/studies/" + held.study() + "/hold?reason=litigation")
        .then()
        .statusCode(200);
    for (Stored s : List.of(deleted, held)) {
      TieringTestData.execute(
          "delete from study where tenant = 'tiering' and study_uid = '" + s.study() + "'");
    }
    // Versions the event does not name: an older one on cold, another on hot; and a neighbour whose
    // SOP Instance UID merely starts with the deleted one's, which is not the instance's.
    String v2 = ObjectKeys.instance(TENANT, deleted.study(), deleted.series(), deleted.sop(), 2);
    String v3 = ObjectKeys.instance(TENANT, deleted.study(), deleted.series(), deleted.sop(), 3);
    String neighbour =
        ObjectKeys.instance(TENANT, deleted.study(), deleted.series(), deleted.sop() + ".9", 1);
    put(cold(), v2);
    put(hot(), v3);
    put(hot(), neighbour);
    // storedAgain keeps its index row: the key was stored anew after the deletion.
    for (Stored s : List.of(deleted, held, storedAgain)) {
      publishDeletion(s);
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                TieringTestData.count(
                        "select count(*) from tiering.deletion_job where study_uid in ('"
                            + deleted.study()
                            + "', '"
                            + held.study()
                            + "', '"
                            + storedAgain.study()
                            + "')")
                    == 3);
    deletion.runDue();

    assertFalse(hot().stat(deleted.key()).isPresent(), "the deleted object is gone");
    assertFalse(hot().stat(deleted.sidecar()).isPresent(), "and its sidecar");
    assertFalse(cold().stat(v2).isPresent(), "a version the event does not name, on cold");
    assertFalse(hot().stat(v3).isPresent(), "and one on hot");
    assertTrue(hot().stat(neighbour).isPresent(), "another instance's object stays");
    assertArrayEquals(held.bytes(), TieringTestData.read(hot(), held.key()), "held: kept");
    assertArrayEquals(
        storedAgain.bytes(), TieringTestData.read(hot(), storedAgain.key()), "stored again: kept");
    assertEquals("SKIPPED", state(storedAgain));
    assertEquals("PENDING", state(held));

    given()
        .delete("/admin/tenants/tiering/studies/" + held.study() + "/hold")
        .then()
        .statusCode(204);
    TieringTestData.execute(
        "update tiering.deletion_job set not_before = now() where study_uid = '"
            + held.study()
            + "'");
    deletion.runDue();
    assertFalse(hot().stat(held.key()).isPresent(), "the hold lifted, the object goes");
    assertEquals("DONE", state(held));
  }

  private static void put(ObjectStore store, String key) throws Exception {
    store.put(
        key,
        new ByteArrayInputStream(new byte[] {1, 2, 3}),
        "application/dicom",
        java.util.Map.of());
  }

  private static String state(Stored s) throws Exception {
    try (var c = TieringTestData.connect();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "select state from tiering.deletion_job where study_uid = '" + s.study() + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void publishDeletion(Stored s) throws Exception {
    InstanceDeleted e =
        new InstanceDeleted(
            UUID.randomUUID().toString(),
            Instant.now(),
            TieringTestData.TENANT,
            InstanceDeleted.Scope.STUDY,
            s.study(),
            null,
            null,
            List.of(
                new ObjectLocation(
                    "strata-objects",
                    s.key(),
                    s.bytes().length,
                    TieringTestData.sha256(s.bytes()),
                    s.sidecar(),
                    null)),
            "test",
            "admin");
    TieringTestData.publish(Topics.INSTANCE_DELETED, e);
  }
}
