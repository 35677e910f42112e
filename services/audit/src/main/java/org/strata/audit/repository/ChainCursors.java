package org.strata.audit.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.strata.audit.chain.ChainEntry;
import org.strata.audit.chain.Lookahead;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;

/**
 * Server-side cursors over {@code audit.record} in seq order (the chain is read in pages of {@link
 * #FETCH}, never whole). Each entry carries whether the row's searchable columns still match its
 * canonical form. Closing this closes every cursor it opened.
 */
public final class ChainCursors implements AutoCloseable {
  private static final int FETCH = 1000;
  private static final String CHAIN =
      "SELECT seq, digest, hash, canonical, event_id, occurred_at, tenant, event_type, action,"
          + " outcome, actor, service, channel, patients, studies FROM audit.record ORDER BY seq";

  private final DataSource dataSource;
  private final List<Connection> open = new ArrayList<>();

  ChainCursors(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * A new cursor over the whole chain.
   *
   * @param visibleTenants the tenants whose records keep their canonical form, or null for all;
   *     other records come without it (only their digest and hash)
   */
  public Iterator<ChainEntry> open(Set<String> visibleTenants) {
    try {
      Connection c = dataSource.getConnection();
      open.add(c);
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      c.setReadOnly(true);
      PreparedStatement p = c.prepareStatement(CHAIN);
      p.setFetchSize(FETCH);
      ResultSet rs = p.executeQuery();
      return new Lookahead<>() {
        @Override
        protected ChainEntry advance() {
          try {
            return rs.next() ? entry(rs, visibleTenants) : null;
          } catch (SQLException e) {
            throw new IllegalStateException("reading the audit chain failed", e);
          }
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException("reading the audit chain failed", e);
    }
  }

  private static ChainEntry entry(ResultSet rs, Set<String> visibleTenants) throws SQLException {
    byte[] canonical = rs.getBytes(4);
    RecordColumns stored =
        new RecordColumns(
            rs.getObject(5, UUID.class),
            rs.getTimestamp(6).toInstant(),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            rs.getShort(10),
            rs.getString(11),
            rs.getString(12),
            rs.getString(13),
            Arrays.asList((String[]) rs.getArray(14).getArray()),
            Arrays.asList((String[]) rs.getArray(15).getArray()));
    boolean visible = visibleTenants == null || visibleTenants.contains(stored.tenant());
    return new ChainEntry(
        rs.getLong(1),
        rs.getBytes(2),
        rs.getBytes(3),
        visible ? canonical : null,
        visibleTenants == null ? inconsistency(canonical, stored) : null);
  }

  /** Why the stored columns disagree with the canonical form, or null. */
  private static String inconsistency(byte[] canonical, RecordColumns stored) {
    RecordColumns expected;
    try {
      expected = RecordColumns.of(EventCodec.decode(canonical, AuditRecord.class));
    } catch (EventFormatException e) {
      return "its content is no longer a valid audit record (" + e.reason() + ")";
    }
    String column = stored.firstDifference(expected);
    return column == null ? null : "its column " + column + " differs from its content";
  }

  @Override
  public void close() {
    for (Connection c : open) {
      try {
        c.rollback();
        c.close();
      } catch (SQLException e) {
        // closing a read-only cursor's connection: nothing was written, nothing to lose
      }
    }
    open.clear();
  }
}
