package org.strata.audit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.audit.chain.ChainHash;
import org.strata.audit.chain.CheckpointStatement;
import org.strata.audit.chain.OfflineVerifier;
import org.strata.audit.chain.SigningKeys;
import org.strata.audit.chain.VerificationReport;
import org.strata.testkit.PlatformTestResource;

/**
 * Tampering done directly in PostgreSQL, as someone with the database's superuser could (triggers
 * off): GET /audit/verify names the first broken record and what is wrong with it. Each test puts
 * the rows back afterwards, so the chain is clean for the next.
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class TamperingTest extends AuditTestSupport {
  private long first;
  private long last;

  /** Eight fresh records, all of them under a signed checkpoint. */
  @BeforeEach
  void records() throws Exception {
    last = publishAndAwait(new AuditRecordMother().build(8));
    first = last - 7;
    await()
        .atMost(WAIT)
        .until(() -> longQuery("SELECT coalesce(max(count), 0) FROM audit.checkpoint") >= last);
    assertTrue(verify().getBoolean("valid"), "the chain is clean before tampering");
  }

  @Test
  void anEditedRecordIsTheFirstBreak() throws Exception {
    long edited = first + 2;
    tamperAndVerify(
        "UPDATE audit.record SET canonical = convert_to(replace(convert_from(canonical, 'UTF8'),"
            + " '\"actor\":\"reader\"', '\"actor\":\"someone-else\"'), 'UTF8') WHERE seq = "
            + edited,
        edited,
        "EDITED");
  }

  @Test
  void anEditedSearchColumnIsCaught() throws Exception {
    long edited = first + 1;
    JsonPath report =
        tamperAndVerify(
            "UPDATE audit.record SET tenant = 'other' WHERE seq = " + edited, edited, "EDITED");
    assertTrue(report.getString("firstBreak.detail").contains("tenant"), report.prettify());
  }

  @Test
  void aDeletedRecordIsReportedMissing() throws Exception {
    long deleted = first + 3;
    tamperAndVerify("DELETE FROM audit.record WHERE seq = " + deleted, deleted, "MISSING");
  }

  @Test
  void swappedRecordsAreReportedReordered() throws Exception {
    long a = first + 2;
    long b = first + 5;
    tamperAndVerify(
        "UPDATE audit.record SET seq = -1 WHERE seq = "
            + a
            + "; UPDATE audit.record SET seq = "
            + a
            + " WHERE seq = "
            + b
            + "; UPDATE audit.record SET seq = "
            + b
            + " WHERE seq = -1",
        a,
        "REORDERED");
  }

  @Test
  void aTruncatedTailIsReported() throws Exception {
    tamperAndVerify("DELETE FROM audit.record WHERE seq > " + (last - 2), last - 1, "TRUNCATED");
  }

  @Test
  void aChainRewrittenFromAnEditOnIsCaughtByItsCheckpoint() throws Exception {
    // The editor recomputes the digest and every later hash, so the chain is consistent in
    // itself; only the signed checkpoint disagrees.
    long edited = first + 4;
    try (Connection c = tamperConnection();
        Statement s = c.createStatement()) {
      s.execute(snapshot());
      try {
        byte[] previous;
        try (ResultSet rs =
            s.executeQuery("SELECT hash FROM audit.record WHERE seq = " + (edited - 1))) {
          rs.next();
          previous = rs.getBytes(1);
        }
        try (PreparedStatement read =
                c.prepareStatement(
                    "SELECT seq, canonical FROM audit.record WHERE seq >= ? ORDER BY seq");
            PreparedStatement write =
                c.prepareStatement(
                    "UPDATE audit.record SET canonical = ?, digest = ?, hash = ?, outcome = ?"
                        + " WHERE seq = ?")) {
          read.setLong(1, edited);
          try (ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
              byte[] canonical = rs.getBytes(2);
              if (rs.getLong(1) == edited) {
                canonical =
                    new String(canonical, StandardCharsets.UTF_8)
                        .replace("\"outcome\":\"SUCCESS\"", "\"outcome\":\"MAJOR_FAILURE\"")
                        .getBytes(StandardCharsets.UTF_8);
              }
              byte[] digest = ChainHash.digest(canonical);
              previous = ChainHash.link(previous, digest);
              write.setBytes(1, canonical);
              write.setBytes(2, digest);
              write.setBytes(3, previous);
              write.setShort(4, (short) (rs.getLong(1) == edited ? 12 : 0));
              write.setLong(5, rs.getLong(1));
              write.executeUpdate();
            }
          }
        }
        JsonPath report = verify();
        assertEquals(false, report.getBoolean("valid"), report.prettify());
        assertEquals("EDITED", report.getString("firstBreak.kind"), report.prettify());
        long from = report.getLong("firstBreak.seq");
        assertTrue(from <= edited && from > 0, report.prettify());
        assertTrue(report.getString("firstBreak.detail").contains("checkpoint"), report.prettify());
      } finally {
        s.execute(restore());
      }
    }
    assertTrue(verify().getBoolean("valid"), "restored");
  }

  /**
   * Key rotation: a checkpoint signed by key 1 (now retired, its public key kept in {@code
   * strata.audit.signing.previous-public-keys}) before the service's checkpoints of key 2. GET
   * /audit/verify and the offline verifier (given both public keys) verify the whole chain; given
   * only the current key, or when a checkpoint names a key nobody trusts, verification fails with
   * UNKNOWN_KEY and names the key id.
   */
  @Test
  void checkpointsOfARetiredKeyStillVerifyAndAnUnknownKeyIsNamed(@TempDir Path dir)
      throws Exception {
    KeyPair retired = RetiredCheckpointKey.pair();
    long count =
        longQuery(
            "SELECT min(seq) FROM audit.record r WHERE seq BETWEEN "
                + first
                + " AND "
                + last
                + " AND NOT EXISTS (SELECT 1 FROM audit.checkpoint WHERE count = r.seq)");
    assertTrue(count > 0, "a record of the test without a checkpoint of its own");
    byte[] head;
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash FROM audit.record WHERE seq = " + count)) {
      rs.next();
      head = rs.getBytes(1);
    }
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (Connection c = connect()) {
      insertCheckpoint(c, count, head, at, retired);
    }
    try {
      JsonPath report = verify();
      assertTrue(report.getBoolean("valid"), report.prettify());

      Path export = dir.resolve("export.ndjson");
      Files.write(
          export, asAuditor().get("/audit/export").then().statusCode(200).extract().asByteArray());
      Path current = Path.of("target/audit/checkpoint-key.pem.pub");
      Path previous = RetiredCheckpointKey.publicKeyFile();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int both =
          OfflineVerifier.run(
              new String[] {
                export.toString(),
                "--public-key",
                current.toString(),
                "--public-key",
                previous.toString()
              },
              new PrintStream(out),
              new PrintStream(out));
      assertEquals(0, both, out.toString());
      VerificationReport withoutRetired =
          OfflineVerifier.verify(export, SigningKeys.publicKey(Files.readAllBytes(current)));
      assertEquals(
          VerificationReport.Kind.UNKNOWN_KEY,
          withoutRetired.firstBreak().kind(),
          OfflineVerifier.describe(withoutRetired));

      KeyPair stranger = SigningKeys.generate();
      try (Connection c = tamperConnection()) {
        c.createStatement().execute("DELETE FROM audit.checkpoint WHERE count = " + count);
        insertCheckpoint(c, count, head, at, stranger);
      }
      JsonPath unknown = verify();
      assertEquals(false, unknown.getBoolean("valid"), unknown.prettify());
      assertEquals("UNKNOWN_KEY", unknown.getString("firstBreak.kind"), unknown.prettify());
      assertTrue(
          unknown.getString("firstBreak.detail").contains(SigningKeys.keyId(stranger.getPublic())),
          unknown.prettify());
    } finally {
      try (Connection c = tamperConnection()) {
        c.createStatement().execute("DELETE FROM audit.checkpoint WHERE count = " + count);
      }
    }
    assertTrue(verify().getBoolean("valid"), "restored");
  }

  private static void insertCheckpoint(
      Connection c, long count, byte[] head, Instant at, KeyPair key) throws Exception {
    Signature signer = Signature.getInstance(CheckpointStatement.ALGORITHM);
    signer.initSign(key.getPrivate());
    signer.update(new CheckpointStatement(count, head, at).bytes());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit.checkpoint (count, head_hash, signed_at, key_id, signature)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setLong(1, count);
      ps.setBytes(2, head);
      ps.setObject(3, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
      ps.setString(4, SigningKeys.keyId(key.getPublic()));
      ps.setBytes(5, signer.sign());
      ps.executeUpdate();
    }
  }

  private JsonPath tamperAndVerify(String sql, long expectedSeq, String expectedKind)
      throws SQLException {
    JsonPath report;
    try (Connection c = tamperConnection();
        Statement s = c.createStatement()) {
      s.execute(snapshot());
      try {
        s.execute(sql);
        report = verify();
      } finally {
        s.execute(restore());
      }
    }
    assertEquals(false, report.getBoolean("valid"), report.prettify());
    assertEquals(expectedKind, report.getString("firstBreak.kind"), report.prettify());
    assertEquals(expectedSeq, report.getLong("firstBreak.seq"), report.prettify());
    assertTrue(verify().getBoolean("valid"), "restored");
    return report;
  }

  /** A connection whose triggers do not fire (the append-only guard is off for it). */
  private Connection tamperConnection() throws SQLException {
    Connection c = connect();
    try (Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
    }
    return c;
  }

  /**
   * Every record from the test's first on: the records of reads of the trail (each verify() call
   * appends one, ADR 0047) follow the test's own, and a truncation removes them too.
   */
  private String snapshot() {
    return "CREATE TEMP TABLE saved AS SELECT * FROM audit.record WHERE seq >= " + first;
  }

  /** The snapshot's records back; records appended since (after the snapshot's) are kept. */
  private String restore() {
    return "DELETE FROM audit.record WHERE seq BETWEEN "
        + first
        + " AND (SELECT max(seq) FROM saved); INSERT INTO audit.record SELECT * FROM saved;"
        + " DROP TABLE saved";
  }

  private static JsonPath verify() {
    return asAuditor().get("/audit/verify").then().statusCode(200).extract().jsonPath();
  }
}
