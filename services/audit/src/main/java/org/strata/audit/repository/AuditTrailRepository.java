package org.strata.audit.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.strata.audit.chain.CanonicalForm;
import org.strata.audit.chain.ChainHash;
import org.strata.audit.chain.Checkpoint;
import org.strata.events.AuditRecord;

/**
 * Appends to the audit chain (ADR 0033) and reads it back. The only writer of the {@code audit}
 * schema; it only ever inserts. Appends lock the head row, so the chain stays one sequence even
 * with several instances of the service.
 */
@ApplicationScoped
public class AuditTrailRepository {
  private static final String LOCK_HEAD =
      "SELECT seq, hash FROM audit.chain_head WHERE id = 1 FOR UPDATE";
  private static final String CLAIM_ID =
      "INSERT INTO audit.record_id (event_id, seq) VALUES (?, ?) ON CONFLICT DO NOTHING";
  private static final String INSERT_RECORD =
      "INSERT INTO audit.record (seq, received_at, event_id, occurred_at, tenant, event_type,"
          + " action, outcome, actor, service, channel, patients, studies, canonical, digest, hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String MOVE_HEAD =
      "UPDATE audit.chain_head SET seq = ?, hash = ? WHERE id = 1";
  private static final String LAST_CHECKPOINT =
      "SELECT coalesce(max(count), 0), max(signed_at) FROM audit.checkpoint";
  private static final String INSERT_CHECKPOINT =
      "INSERT INTO audit.checkpoint (count, head_hash, signed_at, key_id, signature)"
          + " VALUES (?, ?, ?, ?, ?)";
  private static final String CHECKPOINTS =
      "SELECT count, head_hash, signed_at, key_id, signature FROM audit.checkpoint ORDER BY count";
  private static final String HEAD = "SELECT seq, hash FROM audit.chain_head WHERE id = 1";
  private static final String ANCHOR =
      "SELECT seq, hash FROM audit.chain_anchor ORDER BY seq DESC LIMIT 1";

  private final DataSource dataSource;
  private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();

  AuditTrailRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** What one append did. */
  public record Appended(int appended, int duplicates, long headSeq, byte[] headHash) {}

  /** Signs a checkpoint statement: (count, head hash, time) to signature. */
  public interface Signer {
    byte[] sign(long count, byte[] headHash, Instant at);

    String keyId();
  }

  /**
   * Appends the records not seen before (by event id) in one transaction, and a signed checkpoint
   * in the same transaction when {@code checkpointEvery} records have come since the last one.
   */
  public Appended append(List<AuditRecord> records, long checkpointEvery, Signer signer)
      throws SQLException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Head head = lockHead(c);
        long seq = head.seq();
        byte[] previous = head.hash();
        ensurePartition(c, YearMonth.from(now.atOffset(ZoneOffset.UTC)));
        int appended = 0;
        int duplicates = 0;
        try (PreparedStatement claim = c.prepareStatement(CLAIM_ID);
            PreparedStatement insert = c.prepareStatement(INSERT_RECORD)) {
          for (AuditRecord r : records) {
            claim.setObject(1, UUID.fromString(r.eventId()));
            claim.setLong(2, seq + 1);
            if (claim.executeUpdate() == 0) {
              duplicates++;
              continue;
            }
            seq++;
            byte[] canonical = CanonicalForm.of(r);
            byte[] digest = ChainHash.digest(canonical);
            byte[] hash = ChainHash.link(previous, digest);
            bind(c, insert, seq, now, RecordColumns.of(r), canonical, digest, hash);
            insert.executeUpdate();
            previous = hash;
            appended++;
          }
        }
        if (appended > 0) {
          try (PreparedStatement move = c.prepareStatement(MOVE_HEAD)) {
            move.setLong(1, seq);
            move.setBytes(2, previous);
            move.executeUpdate();
          }
          if (seq - lastCheckpoint(c) >= checkpointEvery) {
            insertCheckpoint(c, seq, previous, now, signer);
          }
        }
        c.commit();
        return new Appended(appended, duplicates, seq, previous);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Signs a checkpoint of the head if records came since the last one and the last one is older
   * than {@code olderThan}; returns whether it did.
   */
  public boolean checkpointIfStale(Instant olderThan, Signer signer) throws SQLException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Head locked = lockHead(c);
        long seq = locked.seq();
        byte[] head = locked.hash();
        long last;
        Timestamp lastAt;
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(LAST_CHECKPOINT)) {
          rs.next();
          last = rs.getLong(1);
          lastAt = rs.getTimestamp(2);
        }
        boolean due = seq > last && (lastAt == null || lastAt.toInstant().isBefore(olderThan));
        if (due) {
          insertCheckpoint(c, seq, head, now, signer);
        }
        c.commit();
        return due;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The head row: (seq, hash). */
  public Head head() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(HEAD)) {
      rs.next();
      return new Head(rs.getLong(1), rs.getBytes(2));
    }
  }

  /** Where the chain starts: the last record retention dropped, or (0, genesis). */
  public Head anchor() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(ANCHOR)) {
      return rs.next() ? new Head(rs.getLong(1), rs.getBytes(2)) : new Head(0, ChainHash.GENESIS);
    }
  }

  /** A position of the chain and its hash. */
  public record Head(long seq, byte[] hash) {}

  public List<Checkpoint> checkpoints() throws SQLException {
    List<Checkpoint> all = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(CHECKPOINTS)) {
      while (rs.next()) {
        all.add(
            new Checkpoint(
                rs.getLong(1),
                rs.getBytes(2),
                rs.getTimestamp(3).toInstant(),
                rs.getString(4),
                rs.getBytes(5)));
      }
    }
    return all;
  }

  /** Cursors over the chain in seq order; closing it closes every cursor it opened. */
  public ChainCursors cursors() {
    return new ChainCursors(dataSource);
  }

  /** A dropped month's partition is created again if a record arrives for it. */
  void forgetPartition(YearMonth month) {
    partitions.remove(month);
    partitions.remove(month.minusMonths(1));
  }

  private void ensurePartition(Connection c, YearMonth month) throws SQLException {
    if (partitions.contains(month)) {
      return;
    }
    // This month and the next, so a batch at the turn of the month finds its partition.
    for (YearMonth m : List.of(month, month.plusMonths(1))) {
      String partition = String.format("audit.record_y%04dm%02d", m.getYear(), m.getMonthValue());
      try (Statement s = c.createStatement()) {
        s.execute(
            String.format(
                "CREATE TABLE IF NOT EXISTS %s PARTITION OF audit.record"
                    + " FOR VALUES FROM ('%s-01 00:00:00+00') TO ('%s-01 00:00:00+00')",
                partition, m, m.plusMonths(1)));
        // TRUNCATE of the parent truncates the partitions without firing the parent's trigger.
        s.execute(
            "CREATE OR REPLACE TRIGGER record_no_truncate BEFORE TRUNCATE ON "
                + partition
                + " FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()");
      }
    }
    partitions.add(month);
  }

  /** The head, locked until the transaction ends: appends and checkpoints go one at a time. */
  private static Head lockHead(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(LOCK_HEAD)) {
      rs.next();
      return new Head(rs.getLong(1), rs.getBytes(2));
    }
  }

  private static long lastCheckpoint(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(LAST_CHECKPOINT)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void insertCheckpoint(
      Connection c, long count, byte[] head, Instant at, Signer signer) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(INSERT_CHECKPOINT)) {
      p.setLong(1, count);
      p.setBytes(2, head);
      p.setTimestamp(3, Timestamp.from(at));
      p.setString(4, signer.keyId());
      p.setBytes(5, signer.sign(count, head, at));
      p.executeUpdate();
    }
  }

  private static void bind(
      Connection c,
      PreparedStatement p,
      long seq,
      Instant receivedAt,
      RecordColumns r,
      byte[] canonical,
      byte[] digest,
      byte[] hash)
      throws SQLException {
    p.setLong(1, seq);
    p.setTimestamp(2, Timestamp.from(receivedAt));
    p.setObject(3, r.eventId());
    p.setTimestamp(4, Timestamp.from(r.occurredAt()));
    p.setString(5, r.tenant());
    p.setString(6, r.eventType());
    p.setString(7, r.action());
    p.setShort(8, (short) r.outcome());
    p.setString(9, r.actor());
    p.setString(10, r.service());
    p.setString(11, r.channel());
    Array patients = c.createArrayOf("text", r.patients().toArray());
    Array studies = c.createArrayOf("text", r.studies().toArray());
    p.setArray(12, patients);
    p.setArray(13, studies);
    p.setBytes(14, canonical);
    p.setBytes(15, digest);
    p.setBytes(16, hash);
  }
}
