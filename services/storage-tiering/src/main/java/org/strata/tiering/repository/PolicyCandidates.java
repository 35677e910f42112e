package org.strata.tiering.repository;

import static org.strata.indexschema.IndexJoins.instancesOfSeries;
import static org.strata.indexschema.IndexJoins.locationOfInstance;
import static org.strata.indexschema.IndexJoins.seriesOfStudy;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.strata.indexschema.ObjectLocationTable;
import org.strata.indexschema.StudyTable;

/**
 * The studies a lifecycle policy selects, read from the index (read-only): per study and source
 * bucket, the instances (of the policy's SOP class and size, when it names them) and their bytes
 * not yet in the target bucket.
 */
@ApplicationScoped
public class PolicyCandidates {
  private static final String SQL =
      "select st.tenant, st.study_uid, l."
          + ObjectLocationTable.BUCKET
          + ", count(*), coalesce(sum(l."
          + ObjectLocationTable.SIZE
          + "), 0) from "
          + StudyTable.NAME
          + " st"
          + seriesOfStudy("se", "st")
          + instancesOfSeries("i", "se")
          + locationOfInstance("l", "i")
          // Tiering's own table of last reads (same database): a study never read counts from
          // its ingest, so since-access policies move nothing at once when the feature arrives.
          + " left join tiering.study_access a on a.tenant = st.tenant and a.study_uid ="
          + " st.study_uid"
          + " where (cast(? as text) is null or st.tenant = ?)"
          + " and (cast(? as text) is null or st.study_uid = ?)"
          + " and (cast(? as text) is null or cast(? as text) = any(st.modalities_in_study))"
          + " and (cast(? as date) is null or st.study_date < cast(? as date))"
          + " and (cast(? as timestamptz) is null or st.created_at < cast(? as timestamptz))"
          + " and (cast(? as timestamptz) is null"
          + " or coalesce(a.last_access, st.created_at) < cast(? as timestamptz))"
          + " and (cast(? as text) is null or i.sop_class_uid = ?)"
          + " and (cast(? as bigint) is null or l.size >= ?)"
          + " and l.bucket <> ?"
          + " group by st.tenant, st.study_uid, l.bucket order by st.tenant, st.study_uid limit ?";

  private final ReadOnlyIndex index;

  public PolicyCandidates(ReadOnlyIndex index) {
    this.index = index;
  }

  /** A study's instances in one bucket that a policy would move. */
  public record Candidate(
      String tenant, String studyUid, String bucket, long instances, long bytes) {}

  /**
   * @param studyUid only this study (null: every study)
   * @param studyDateBefore only studies whose Study Date is before this (null: no such condition)
   * @param ingestedBefore only studies first indexed before this (null: no such condition)
   * @param accessedBefore only studies last read before this, or never read and first indexed
   *     before it (null: no such condition)
   * @param sopClass only instances of this SOP class (null: any)
   * @param minBytes only instances of at least this size (null: any)
   * @param limit at most this many (study, bucket) rows
   */
  public List<Candidate> find(
      String tenant,
      String studyUid,
      String modality,
      LocalDate studyDateBefore,
      Instant ingestedBefore,
      Instant accessedBefore,
      String sopClass,
      Long minBytes,
      String targetBucket,
      int limit)
      throws SQLException {
    Date date = studyDateBefore == null ? null : Date.valueOf(studyDateBefore);
    Timestamp at = ingestedBefore == null ? null : Timestamp.from(ingestedBefore);
    Timestamp read = accessedBefore == null ? null : Timestamp.from(accessedBefore);
    return index.list(
        SQL,
        ps -> {
          int i = 0;
          ps.setString(++i, tenant);
          ps.setString(++i, tenant);
          ps.setString(++i, studyUid);
          ps.setString(++i, studyUid);
          ps.setString(++i, modality);
          ps.setString(++i, modality);
          ps.setDate(++i, date);
          ps.setDate(++i, date);
          ps.setTimestamp(++i, at);
          ps.setTimestamp(++i, at);
          ps.setTimestamp(++i, read);
          ps.setTimestamp(++i, read);
          ps.setString(++i, sopClass);
          ps.setString(++i, sopClass);
          ps.setObject(++i, minBytes, java.sql.Types.BIGINT);
          ps.setObject(++i, minBytes, java.sql.Types.BIGINT);
          ps.setString(++i, targetBucket);
          ps.setInt(++i, limit);
        },
        rs ->
            new Candidate(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
  }
}
