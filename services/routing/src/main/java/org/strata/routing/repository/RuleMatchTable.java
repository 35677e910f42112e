package org.strata.routing.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Matches per rule in routing's own table {@code routing.rule_match}: the total, the last match and
 * when the rule was first in force, so the never-matched report survives a restart. Additions are
 * increments ({@code matches = matches + n}), so several replicas can write the same rows.
 */
@ApplicationScoped
public class RuleMatchTable {
  private final AgroalDataSource dataSource;

  public RuleMatchTable(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One rule's row. */
  public record Row(String ruleId, Instant firstSeen, long matches, Instant lastMatchAt) {}

  /** Matches counted since the last flush: how many, and the newest one's time. */
  public record Added(long matches, Instant lastMatchAt) {}

  /** Records rules in force not seen before, first seen now; known rules keep their time. */
  public void seen(Collection<String> ruleIds) throws SQLException {
    if (ruleIds.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into routing.rule_match (rule_id) values (?) on conflict (rule_id) do"
                    + " nothing")) {
      for (String id : ruleIds) {
        ps.setString(1, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Adds counted matches (one batched statement for all rules). */
  public void add(Map<String, Added> added) throws SQLException {
    if (added.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into routing.rule_match (rule_id, matches, last_match_at) values (?, ?, ?)"
                    + " on conflict (rule_id) do update set matches = rule_match.matches +"
                    + " excluded.matches, last_match_at = greatest(rule_match.last_match_at,"
                    + " excluded.last_match_at)")) {
      for (var e : added.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setLong(2, e.getValue().matches());
        ps.setTimestamp(3, Timestamp.from(e.getValue().lastMatchAt()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Every rule's row, by rule id. */
  public Map<String, Row> all() throws SQLException {
    Map<String, Row> rows = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select rule_id, first_seen, matches, last_match_at from routing.rule_match");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Timestamp last = rs.getTimestamp(4);
        rows.put(
            rs.getString(1),
            new Row(
                rs.getString(1),
                rs.getTimestamp(2).toInstant(),
                rs.getLong(3),
                last == null ? null : last.toInstant()));
      }
    }
    return rows;
  }
}
