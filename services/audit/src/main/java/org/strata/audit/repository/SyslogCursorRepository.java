package org.strata.audit.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The syslog cursor ({@code audit.syslog_cursor}, ADR 0038): the seq of the last record the Audit
 * Record Repository confirmed. A batch is read and sent while the cursor row is locked, so of
 * several audit instances one sends at a time, and the cursor moves only after the batch was
 * confirmed.
 */
@ApplicationScoped
public class SyslogCursorRepository {
  private static final String LOCK =
      "SELECT last_seq FROM audit.syslog_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED";
  private static final String NEXT =
      "SELECT seq, canonical FROM audit.record WHERE seq > ? ORDER BY seq LIMIT ?";
  private static final String ADVANCE =
      "UPDATE audit.syslog_cursor SET last_seq = ?, updated_at = now() WHERE id = 1";

  private final DataSource dataSource;

  SyslogCursorRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A stored record: its position and its canonical form. */
  public record Stored(long seq, byte[] canonical) {}

  /** Sends a batch; returns normally only once the repository confirmed all of it. */
  @FunctionalInterface
  public interface BatchSender {
    void send(List<Stored> batch) throws IOException;
  }

  /**
   * Sends the next records after the cursor (at most {@code max}) and moves the cursor past them.
   *
   * @return how many were sent; 0 when nothing was waiting or another instance is sending
   * @throws IOException the batch was not confirmed; the cursor stays, the batch goes again
   */
  public int sendNext(int max, BatchSender sender) throws SQLException, IOException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int sent = sendNext(c, max, sender);
        c.commit();
        return sent;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static int sendNext(Connection c, int max, BatchSender sender)
      throws SQLException, IOException {
    long cursor;
    try (PreparedStatement p = c.prepareStatement(LOCK);
        ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        return 0; // another instance holds the cursor
      }
      cursor = rs.getLong(1);
    }
    List<Stored> batch = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(NEXT)) {
      p.setLong(1, cursor);
      p.setInt(2, max);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          batch.add(new Stored(rs.getLong(1), rs.getBytes(2)));
        }
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    sender.send(batch);
    try (PreparedStatement p = c.prepareStatement(ADVANCE)) {
      p.setLong(1, batch.get(batch.size() - 1).seq());
      p.executeUpdate();
    }
    return batch.size();
  }

  /** The seq of the last confirmed record. */
  public long cursor() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT last_seq FROM audit.syslog_cursor");
        ResultSet rs = p.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
