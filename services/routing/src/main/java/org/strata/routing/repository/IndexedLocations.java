package org.strata.routing.repository;

import static org.strata.indexschema.IndexJoins.locationOfInstance;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.ObjectLocationTable;

/**
 * Where the index says an instance's object is now (libs/index-schema's contract, read-only
 * connection): after storage-tiering moved it, another bucket on another tier than the one its
 * routing job was made with.
 */
@ApplicationScoped
public class IndexedLocations {
  private static final String SQL =
      "select l."
          + ObjectLocationTable.BUCKET
          + ", l."
          + ObjectLocationTable.OBJECT_KEY
          + " from "
          + InstanceTable.NAME
          + " i"
          + locationOfInstance("l", "i")
          + " where i."
          + InstanceTable.TENANT
          + " = ? and i."
          + InstanceTable.SOP_INSTANCE_UID
          + " = ?";

  /** An object's place: bucket (and so tier) and key. */
  public record Location(String bucket, String key) {}

  private final AgroalDataSource dataSource;

  public IndexedLocations(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The current location of a tenant's instance; empty when the index has none. */
  public Optional<Location> of(String tenant, String sopInstanceUid) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(SQL)) {
        ps.setString(1, tenant);
        ps.setString(2, sopInstanceUid);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(new Location(rs.getString(1), rs.getString(2)))
              : Optional.empty();
        }
      } finally {
        c.setReadOnly(false);
      }
    }
  }
}
