package org.strata.routing.repository;

import static org.strata.indexschema.IndexJoins.columns;
import static org.strata.indexschema.IndexJoins.instancesOfSeries;
import static org.strata.indexschema.IndexJoins.seriesOfStudy;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

/**
 * What a rule sees of a stored study's instances, read from the index schema on a read-only
 * connection (index is its one writer, ADR 0018): the dry run of a study routing has not seen since
 * it started. The index keeps the indexed attributes, modality and SOP class, not the calling AE or
 * the channel.
 */
@ApplicationScoped
public class IndexedInstanceAttributes {
  private static final String SQL =
      "select "
          + columns("st", StudyTable.TENANT)
          + ", "
          + columns("i", InstanceTable.SOP_INSTANCE_UID, InstanceTable.SOP_CLASS_UID)
          + ", "
          + columns("se", SeriesTable.MODALITY)
          + ", i."
          + InstanceTable.ATTRIBUTES
          + "::text from "
          + StudyTable.NAME
          + " st"
          + seriesOfStudy("se", "st")
          + instancesOfSeries("i", "se")
          + " where st."
          + StudyTable.STUDY_UID
          + " = ? and (cast(? as text[]) is null or st."
          + StudyTable.TENANT
          + " = any(cast(? as text[]))) order by st."
          + StudyTable.TENANT
          + ", se.pk, i.pk limit ?";

  /** One indexed instance: its tenant, identity, modality and DICOM JSON attributes (or null). */
  public record Row(
      String tenant,
      String sopInstanceUid,
      String sopClassUid,
      String modality,
      String attributesJson) {}

  private final AgroalDataSource dataSource;

  public IndexedInstanceAttributes(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The instances of {@code study} in {@code tenants} (every tenant when null), at most {@code
   * limit}.
   */
  public List<Row> ofStudy(String study, Collection<String> tenants, int limit)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(SQL)) {
        ps.setString(1, study);
        java.sql.Array among = tenants == null ? null : c.createArrayOf("text", tenants.toArray());
        ps.setArray(2, among);
        ps.setArray(3, among);
        ps.setInt(4, limit);
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Row(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)));
          }
        }
        return out;
      } finally {
        c.setReadOnly(false);
      }
    }
  }
}
