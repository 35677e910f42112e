package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Queries of the index schema on read-only connections: index is its one writer (ADR 0018), so a
 * mistaken write from here fails in PostgreSQL instead of changing the index.
 */
@ApplicationScoped
public class ReadOnlyIndex {
  private final AgroalDataSource dataSource;

  public ReadOnlyIndex(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Parameters {
    void set(PreparedStatement ps) throws SQLException;
  }

  /** Makes one result row into a value. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Every row of {@code sql}, mapped. */
  public <T> List<T> list(String sql, Parameters parameters, Row<T> row) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        parameters.set(ps);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row.map(rs));
          }
        }
        return out;
      } finally {
        c.setReadOnly(false);
      }
    }
  }
}
