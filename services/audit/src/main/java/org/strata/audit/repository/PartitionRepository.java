package org.strata.audit.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Retention of the trail's monthly partitions: the oldest ones whose month ended before a cutoff
 * are dropped, oldest first, each leaving an anchor (its last seq and hash) where the chain now
 * starts (ADR 0033).
 */
@ApplicationScoped
public class PartitionRepository {
  private static final Logger LOG = Logger.getLogger(PartitionRepository.class);
  private static final Pattern NAME = Pattern.compile("record_y(\\d{4})m(\\d{2})");
  private static final String PARTITIONS =
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
          + " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace"
          + " WHERE n.nspname = 'audit' AND p.relname = 'record' ORDER BY c.relname";
  private static final String LOCK_HEAD =
      "SELECT seq FROM audit.chain_head WHERE id = 1 FOR UPDATE";
  private static final String OLDER_ELSEWHERE =
      "SELECT count(*) FROM audit.record WHERE seq < ? AND tableoid <> ?::regclass";
  private static final String INSERT_ANCHOR =
      "INSERT INTO audit.chain_anchor (seq, hash, partition, dropped_at) VALUES (?, ?, ?, ?)";

  private final DataSource dataSource;
  private final AuditTrailRepository trail;

  PartitionRepository(DataSource dataSource, AuditTrailRepository trail) {
    this.dataSource = dataSource;
    this.trail = trail;
  }

  /** The months that have a partition, oldest first. */
  public List<YearMonth> months() throws SQLException {
    List<YearMonth> months = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(PARTITIONS)) {
      while (rs.next()) {
        Matcher m = NAME.matcher(rs.getString(1));
        if (m.matches()) {
          months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
      }
    }
    return months;
  }

  /** Drops the partitions whose month ended before {@code cutoff}, oldest first; how many. */
  public int dropEndedBefore(Instant cutoff) throws SQLException {
    int dropped = 0;
    for (YearMonth month : months()) {
      if (month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(cutoff)) {
        break;
      }
      if (!drop(month)) {
        break;
      }
      dropped++;
    }
    return dropped;
  }

  /** Drops one partition, if its records are the chain's oldest; whether it did. */
  private boolean drop(YearMonth month) throws SQLException {
    String table = String.format("audit.record_y%04dm%02d", month.getYear(), month.getMonthValue());
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeQuery(LOCK_HEAD).close();
        long last = 0;
        byte[] hash = null;
        try (ResultSet rs =
            s.executeQuery("SELECT seq, hash FROM " + table + " ORDER BY seq DESC LIMIT 1")) {
          if (rs.next()) {
            last = rs.getLong(1);
            hash = rs.getBytes(2);
          }
        }
        if (hash != null) {
          try (PreparedStatement older = c.prepareStatement(OLDER_ELSEWHERE)) {
            older.setLong(1, last);
            older.setString(2, table);
            try (ResultSet rs = older.executeQuery()) {
              rs.next();
              if (rs.getLong(1) > 0) {
                // A clock that went back put older records in a later month: keep the chain whole.
                LOG.warnf("retention: %s is not the oldest part of the chain; not dropped", table);
                c.rollback();
                return false;
              }
            }
          }
          try (PreparedStatement p = c.prepareStatement(INSERT_ANCHOR)) {
            p.setLong(1, last);
            p.setBytes(2, hash);
            p.setString(3, table);
            p.setTimestamp(4, Timestamp.from(Instant.now()));
            p.executeUpdate();
          }
        }
        s.execute("DROP TABLE " + table);
        c.commit();
        trail.forgetPartition(month);
        LOG.infof("retention: dropped %s (records up to %d)", table, last);
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
