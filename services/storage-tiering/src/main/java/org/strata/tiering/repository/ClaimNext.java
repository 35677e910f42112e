package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One step of a journal: claim the next due row ({@code for update skip locked}, so workers never
 * share one), run the step, record its outcome, all in one transaction; a failure rolls it back and
 * the row is due again as it was.
 */
final class ClaimNext {
  private ClaimNext() {}

  /** Makes the claimed row into a value. */
  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** The step, run while the row is claimed. */
  @FunctionalInterface
  interface Work<T, O> {
    O run(T claimed) throws Exception;
  }

  /** Writes the step's outcome on the same connection. */
  @FunctionalInterface
  interface Outcome<T, O> {
    void record(Connection c, T claimed, O outcome) throws SQLException;
  }

  /** False when no row was due. */
  static <T, O> boolean run(
      AgroalDataSource dataSource,
      String claimSql,
      Row<T> row,
      Work<T, O> work,
      Outcome<T, O> outcome)
      throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T claimed = null;
        try (PreparedStatement ps = c.prepareStatement(claimSql);
            ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            claimed = row.map(rs);
          }
        }
        if (claimed == null) {
          c.rollback();
          return false;
        }
        outcome.record(c, claimed, work.run(claimed));
        c.commit();
        return true;
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }
}
