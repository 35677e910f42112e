package org.strata.tiering.repository;

import static org.strata.indexschema.IndexJoins.instancesOfSeries;
import static org.strata.indexschema.IndexJoins.locationOfInstance;
import static org.strata.indexschema.IndexJoins.seriesOfStudy;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import org.strata.indexschema.ObjectLocationTable;
import org.strata.indexschema.StudyTable;

/** What the index says is stored, by bucket and tenant (read-only): instances and their bytes. */
@ApplicationScoped
public class TierUsage {
  private static final String SQL =
      "select l."
          + ObjectLocationTable.BUCKET
          + ", st.tenant, count(*), coalesce(sum(l."
          + ObjectLocationTable.SIZE
          + "), 0) from "
          + StudyTable.NAME
          + " st"
          + seriesOfStudy("se", "st")
          + instancesOfSeries("i", "se")
          + locationOfInstance("l", "i")
          + " group by l."
          + ObjectLocationTable.BUCKET
          + ", st.tenant";

  private final ReadOnlyIndex index;

  public TierUsage(ReadOnlyIndex index) {
    this.index = index;
  }

  /** One bucket's share of one tenant. */
  public record Usage(String bucket, String tenant, long objects, long bytes) {}

  public List<Usage> all() throws SQLException {
    return index.list(
        SQL,
        ps -> {},
        rs -> new Usage(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
  }
}
