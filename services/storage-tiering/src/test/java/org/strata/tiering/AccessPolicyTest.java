package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.audit.AuditEntry;
import org.strata.events.AuditRecord;
import org.strata.events.Topics;
import org.strata.http.auth.CallerIdentity;
import org.strata.testkit.PlatformTestResource;
import org.strata.tiering.TieringTestData.Stored;

/**
 * {@code "since": "access"} (ADR 0072): reads recorded on the real audit topic, as query records
 * them, become each study's last access in {@code tiering.study_access}; a policy older than P1D
 * since access selects a study read two days ago and a study never read but ingested ten days ago,
 * not a study read just now. Times are set back in SQL, never waited for.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class AccessPolicyTest {

  @Test
  void aStudyIsSelectedOnlyOnceItsLastReadIsOlderThanThePolicy() throws Exception {
    Stored[] readBefore = TieringTestData.study(1, "OT", null);
    Stored[] readNow = TieringTestData.study(1, "OT", null);
    Stored[] neverRead = TieringTestData.study(1, "OT", null);
    // All three ingested ten days ago: since ingest, each would be selected.
    TieringTestData.execute(
        "update study set created_at = now() - interval '10 days' where study_uid in ("
            + quoted(readBefore[0].study(), readNow[0].study(), neverRead[0].study())
            + ")");
    publishRead(readBefore[0]);
    publishRead(readNow[0]);
    // A store of neverRead is not a read.
    TieringTestData.publish(
        Topics.AUDIT_RECORD,
        AuditEntry.store(CallerIdentity.local("127.0.0.1"), AuditRecord.Channels.STOW_RS)
            .tenant(TieringTestData.TENANT)
            .instances(neverRead[0].study(), "1.2.840.10008.5.1.4.1.1.7", 1)
            .toRecord("strata-ingest", TieringTestData.TENANT));
    awaitAccessRows(readBefore[0].study(), readNow[0].study());

    String path =
        "/admin/tenants/tiering/policies/read-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .contentType("application/json")
        .body(
            "{\"enabled\": false, \"modality\": \"OT\", \"since\": \"access\","
                + " \"olderThan\": \"P1D\", \"toTier\": \"cold\"}")
        .put(path)
        .then()
        .statusCode(200)
        .body("since", equalTo("access"));

    List<String> selected = dryRun(path);
    assertFalse(selected.contains(study(readBefore)), "read just now: " + selected);
    assertFalse(selected.contains(study(readNow)), "read just now: " + selected);
    assertTrue(selected.contains(study(neverRead)), "never read: counts from ingest");

    TieringTestData.execute(
        "update tiering.study_access set last_access = now() - interval '2 days'"
            + " where study_uid = '"
            + readBefore[0].study()
            + "'");
    selected = dryRun(path);
    assertTrue(selected.contains(study(readBefore)), "read two days ago: " + selected);
    assertFalse(selected.contains(study(readNow)), "read just now: " + selected);
    assertTrue(selected.contains(study(neverRead)));
  }

  /** A WADO-RS read as query's audited resources record it. */
  private static void publishRead(Stored instance) throws Exception {
    TieringTestData.publish(
        Topics.AUDIT_RECORD,
        AuditEntry.read(CallerIdentity.local("127.0.0.1"), AuditRecord.Channels.WADO_RS)
            .tenant(TieringTestData.TENANT)
            .instances(instance.study(), "1.2.840.10008.5.1.4.1.1.7", 1)
            .toRecord("strata-query", TieringTestData.TENANT));
  }

  /** Waits (with a generous ceiling, no fixed sleep) until both reads are recorded. */
  private static void awaitAccessRows(String a, String b) throws Exception {
    Instant give = Instant.now().plus(Duration.ofMinutes(2));
    String sql =
        "select count(*) from tiering.study_access where study_uid in (" + quoted(a, b) + ")";
    while (TieringTestData.count(sql) < 2) {
      assertTrue(Instant.now().isBefore(give), "the reads were not recorded");
      Thread.sleep(50);
    }
  }

  private static List<String> dryRun(String path) {
    return given()
        .get(path + "/dry-run")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("studies", String.class);
  }

  private static String study(Stored[] s) {
    return TieringTestData.TENANT + "/" + s[0].study();
  }

  private static String quoted(String... uids) {
    return String.join(", ", java.util.Arrays.stream(uids).map(u -> "'" + u + "'").toList());
  }
}
