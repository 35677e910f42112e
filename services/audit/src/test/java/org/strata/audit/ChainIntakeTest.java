package org.strata.audit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.audit.chain.CanonicalForm;
import org.strata.audit.chain.ChainHash;
import org.strata.audit.chain.CheckpointStatement;
import org.strata.audit.chain.SigningKeys;
import org.strata.events.AuditRecord;
import org.strata.testkit.PlatformTestResource;

/** Records from Kafka become one hash chain: once each, canonical, chained, checkpointed. */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class ChainIntakeTest extends AuditTestSupport {

  @Test
  void aRepeatedRecordIdIsAppendedOnce() throws Exception {
    List<AuditRecord> records = new ArrayList<>(new AuditRecordMother().build(3));
    AuditRecord repeated = records.get(1);
    records.add(repeated); // a producer's retry, or a spool sent twice
    records.add(new AuditRecordMother().build());
    long last = publishAndAwait(records);

    assertEquals(
        1,
        longQuery(
            "SELECT count(*) FROM audit.record WHERE event_id = '" + repeated.eventId() + "'"));
    // Four distinct records, in the order sent, without a gap for the repeat.
    assertEquals(last - 3, seqOf(records.get(0).eventId()));
    assertEquals(last, seqOf(records.get(4).eventId()));
  }

  @Test
  void eachRowHashesItsPredecessorAndItsCanonicalForm() throws Exception {
    List<AuditRecord> records = new AuditRecordMother().build(2);
    long second = publishAndAwait(records);
    try (Connection c = connect();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT seq, canonical, digest, hash FROM audit.record WHERE seq IN (?, ?) ORDER BY seq")) {
      p.setLong(1, second - 1);
      p.setLong(2, second);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        byte[] firstHash = rs.getBytes(4);
        assertArrayEquals(CanonicalForm.of(records.get(0)), rs.getBytes(2));
        rs.next();
        byte[] canonical = rs.getBytes(2);
        assertArrayEquals(CanonicalForm.of(records.get(1)), canonical);
        assertArrayEquals(ChainHash.digest(canonical), rs.getBytes(3));
        assertArrayEquals(ChainHash.link(firstHash, ChainHash.digest(canonical)), rs.getBytes(4));
      }
    }
  }

  @Test
  void checkpointsAreSignedWithTheConfiguredKey() throws Exception {
    long last = publishAndAwait(new AuditRecordMother().build(6));
    // every-records=5 and every=1s in the test profile: the head is checkpointed within seconds.
    await()
        .atMost(WAIT)
        .until(() -> longQuery("SELECT coalesce(max(count), 0) FROM audit.checkpoint") >= last);
    PublicKey key =
        SigningKeys.publicKey(Files.readAllBytes(Path.of("target/audit/checkpoint-key.pem.pub")));
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT k.count, k.head_hash, k.signed_at, k.key_id, k.signature, r.hash"
                    + " FROM audit.checkpoint k JOIN audit.record r ON r.seq = k.count")) {
      int checked = 0;
      while (rs.next()) {
        CheckpointStatement statement =
            new CheckpointStatement(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant());
        assertEquals(SigningKeys.keyId(key), rs.getString(4));
        assertTrue(statement.verify(key, rs.getBytes(5)), "checkpoint " + rs.getLong(1));
        assertArrayEquals(rs.getBytes(6), rs.getBytes(2));
        checked++;
      }
      assertTrue(checked > 0);
    }
  }

  @Test
  void theTrailRefusesUpdatesAndDeletes() throws Exception {
    long seq = publishAndAwait(new AuditRecordMother().build(1));
    for (String sql :
        List.of(
            "UPDATE audit.record SET actor = 'x' WHERE seq = " + seq,
            "DELETE FROM audit.record WHERE seq = " + seq,
            "TRUNCATE audit.record",
            "DELETE FROM audit.checkpoint",
            "TRUNCATE audit.checkpoint",
            "DELETE FROM audit.record_id")) {
      assertTrue(refused(sql).contains("append-only"), sql);
    }
  }

  /** The error of a statement run in a transaction that is rolled back whatever happens. */
  private String refused(String sql) throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(sql);
        return "not refused";
      } catch (SQLException e) {
        return e.getMessage();
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void aCleanChainVerifies() throws Exception {
    long last = publishAndAwait(new AuditRecordMother().build(3));
    asAuditor()
        .get("/audit/verify")
        .then()
        .statusCode(200)
        .body("valid", equalTo(true))
        .body("firstBreak", equalTo(null));
    long records = asAuditor().get("/audit/verify").then().extract().jsonPath().getLong("records");
    assertTrue(records >= last, records + " records verified, chain holds " + last);
  }

  @Test
  void aReaderMayNotVerify() {
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(tokens().user("reader"))
        .get("/audit/verify")
        .then()
        .statusCode(403);
  }
}
