package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.index.service.RebuildService;
import org.strata.storage.ObjectStore;

/**
 * A rebuild survives the loss of its instance: a RUNNING job left in rebuild_job by an instance
 * that stopped checkpointing is claimed and resumed after its last checkpoint; a job that is still
 * checkpointed by its (live) owner is left alone; jobs are read from the table when this instance
 * does not run them.
 */
@QuarkusTest
@QuarkusTestResource(
    value = org.strata.testkit.PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3"))
class RebuildResumeTest extends IndexTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "strata.s3.access-key")
  String s3AccessKey;

  @ConfigProperty(name = "strata.s3.secret-key")
  String s3SecretKey;

  @Inject RebuildService rebuilds;

  private static ObjectNode attribute(String vr, String value) {
    ObjectNode a = JSON.createObjectNode().put("vr", vr);
    a.set("Value", JSON.createArrayNode().add(value));
    return a;
  }

  @Test
  void aJobLeftRunningByALostInstanceIsResumedAfterItsLastCheckpoint() throws Exception {
    String tenant = "resume-" + Long.toString(System.nanoTime(), 36);
    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    String study = "1.2.826.0.1.3680043.10.1137.88." + System.nanoTime() % 1_000_000;
    String series = study + ".1";
    String[] keys = new String[6];
    for (int n = 1; n <= 6; n++) {
      String sop = series + "." + n; // keys list in this order (same length, last digit)
      ObjectNode sidecar = JSON.createObjectNode();
      sidecar.set("0020000D", attribute("UI", study));
      sidecar.set("0020000E", attribute("UI", series));
      sidecar.set("00080018", attribute("UI", sop));
      sidecar.set("00080016", attribute("UI", InstanceStoredMother.CT));
      sidecar.set("00100020", attribute("LO", "RES-1"));
      sidecar.set("00080060", attribute("CS", "CT"));
      String prefix = tenant + "/" + study + "/" + series + "/" + sop;
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("strata-event-id", UUID.randomUUID().toString());
      meta.put("strata-tenant", tenant);
      meta.put("strata-received-at", "2025-03-01T08:00:0" + n + "Z");
      meta.put("strata-object-key", prefix + ".dcm");
      meta.put("strata-object-size", "1000");
      meta.put("strata-sha256", "b".repeat(64));
      meta.put("strata-version", "1");
      meta.put("strata-transfer-syntax", "1.2.840.10008.1.2.1");
      store.put(
          prefix + ".json",
          new ByteArrayInputStream(JSON.writeValueAsBytes(sidecar)),
          "application/dicom+json",
          meta);
      keys[n - 1] = prefix + ".json";
    }

    // What a lost instance left: three sidecars checkpointed (not really indexed here, so that
    // what the resumed job indexes shows where it started), no checkpoint for an hour. And a job
    // whose owner checkpointed just now, of a tenant with nothing in S3.
    String lost = UUID.randomUUID().toString();
    String live = UUID.randomUUID().toString();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "insert into rebuild_job (id, tenant, state, objects_scanned, sidecars, indexed, failed,"
              + " resume_after, owner, started_at, checkpoint_at) values ('"
              + lost
              + "', '"
              + tenant
              + "', 'RUNNING', 3, 3, 3, 0, '"
              + keys[2]
              + "', 'index-lost', now() - interval '2 hours', now() - interval '1 hour'), ('"
              + live
              + "', 'nothing-"
              + tenant
              + "', 'RUNNING', 0, 0, 0, 0, null, 'index-live', now(), now() + interval '1 day')");
    }

    rebuilds.resumeStale(); // what every instance does at start and every stale-after
    await()
        .atMost(WAIT)
        .until(
            () ->
                "DONE"
                    .equals(given().get("/admin/rebuilds/" + lost).then().extract().path("state")));
    JsonPath status =
        given().get("/admin/rebuilds/" + lost).then().statusCode(200).extract().jsonPath();
    assertEquals(6, status.getInt("objectsScanned"));
    assertEquals(6, status.getInt("sidecars"));
    assertEquals(6, status.getInt("indexed"));
    assertEquals(0, status.getInt("failed"));
    assertEquals(tenant, status.getString("tenant"));
    // Only the sidecars after the checkpoint were applied by the resumed job.
    assertEquals(
        series + ".4," + series + ".5," + series + ".6",
        query(
            "select string_agg(sop_instance_uid, ',' order by sop_instance_uid) from instance"
                + " where tenant = '"
                + tenant
                + "'"));
    assertEquals(
        keys[5] + "|DONE",
        query("select resume_after || '|' || state from rebuild_job where id = '" + lost + "'"));
    assertEquals(
        "f", query("select owner = 'index-lost' from rebuild_job where id = '" + lost + "'"));

    // The live owner's job is not taken over, and is shown from the table.
    assertEquals(
        "index-live|RUNNING",
        query("select owner || '|' || state from rebuild_job where id = '" + live + "'"));
    given().get("/admin/rebuilds/" + live).then().statusCode(200);
    assertEquals("RUNNING", given().get("/admin/rebuilds/" + live).then().extract().path("state"));
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.executeUpdate("delete from rebuild_job where id = '" + live + "'");
    }
    given().get("/admin/rebuilds/not-a-job").then().statusCode(404);
  }
}
