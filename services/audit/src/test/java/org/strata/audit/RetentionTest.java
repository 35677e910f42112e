package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.strata.audit.repository.PartitionRepository;
import org.strata.audit.service.RetentionJob;
import org.strata.testkit.PlatformTestResource;

/**
 * Retention drops whole months older than the configured years, never the chain's newer part, and
 * never a month whose records are not the chain's oldest (the chain would lose its middle).
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class RetentionTest extends AuditTestSupport {
  private static final YearMonth OLD = YearMonth.of(2001, 1);

  @Inject RetentionJob retention;
  @Inject PartitionRepository partitions;

  @Test
  void anExpiredMonthIsDroppedAndTheCurrentOneKept() throws Exception {
    publishAndAwait(new AuditRecordMother().build(1));
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE audit.record_y2001m01 PARTITION OF audit.record"
              + " FOR VALUES FROM ('2001-01-01 00:00:00+00') TO ('2001-02-01 00:00:00+00')");
    }
    assertTrue(partitions.months().contains(OLD));

    assertEquals(1, retention.run(Instant.now()));

    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    assertFalse(partitions.months().contains(OLD));
    assertTrue(partitions.months().contains(now), partitions.months().toString());
    assertTrue(
        asAuditor()
            .get("/audit/verify")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getBoolean("valid"));
  }

  @Test
  void anExpiredMonthHoldingNewerRecordsIsKept() throws Exception {
    long seq = publishAndAwait(new AuditRecordMother().build(1));
    try (Connection c = tamperConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE audit.record_y2001m01 PARTITION OF audit.record"
              + " FOR VALUES FROM ('2001-01-01 00:00:00+00') TO ('2001-02-01 00:00:00+00')");
      // A record whose clock said 2001 although it came after the chain's first records.
      s.execute(
          "INSERT INTO audit.record SELECT seq + 1000000000, '2001-01-15 00:00:00+00', event_id,"
              + " occurred_at, tenant, event_type, action, outcome, actor, service, channel,"
              + " patients, studies, canonical, digest, hash FROM audit.record WHERE seq = "
              + seq);
      try {
        assertEquals(0, retention.run(Instant.now()));
        assertTrue(partitions.months().contains(OLD));
      } finally {
        s.execute("DROP TABLE audit.record_y2001m01");
      }
    }
  }

  private java.sql.Connection tamperConnection() throws java.sql.SQLException {
    Connection c = connect();
    try (Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
    }
    return c;
  }
}
