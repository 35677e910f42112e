package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.strata.indexschema.IndexJoins;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.StudyTable;
import org.strata.tiering.service.RetentionRule;

/**
 * {@code tiering.study_retention} (each study's expiry) and {@code tiering.retention_purge} (the
 * purge journal). Expiries are computed in one statement inside PostgreSQL from the index's Study
 * Date and Patient's Birth Date: the birth date is never read into the service, so it cannot reach
 * a log. The index tables are only read.
 */
@ApplicationScoped
public class RetentionRepository {
  private static final String REFRESH =
      "insert into tiering.study_retention (tenant, study_uid, rule, expires_on)"
          + " select st.tenant, st.study_uid, ?, greatest(st."
          + StudyTable.STUDY_DATE
          + " + make_interval(years => ?), case when cast(? as integer) is null then null else p."
          + PatientTable.BIRTH_DATE
          + " + make_interval(years => cast(? as integer)) end)::date from "
          + StudyTable.NAME
          + " st left join "
          + PatientTable.NAME
          + " p on p.pk = st."
          + StudyTable.PATIENT_PK
          + " where st.tenant = ? and st."
          + StudyTable.STUDY_DATE
          + " is not null on conflict (tenant, study_uid) do update set rule = excluded.rule,"
          + " expires_on = excluded.expires_on, computed_at = now()";

  private static final String PLAN =
      "insert into tiering.retention_purge (id, event_id, tenant, study_uid, rule, expires_on,"
          + " not_before) select gen_random_uuid(), gen_random_uuid(), r.tenant, r.study_uid,"
          + " r.rule, r.expires_on, now() from tiering.study_retention r where r.expires_on <= ?"
          + " and r.rule = any(?) and exists (select 1 from "
          + StudyTable.NAME
          + " st where st.tenant = r.tenant and st.study_uid = r.study_uid) and not exists"
          + " (select 1 from tiering.legal_hold h where h.tenant = r.tenant and h.study_uid ="
          + " r.study_uid and h.lifted_at is null) and not exists (select 1 from"
          + " tiering.patient_hold_study ps join tiering.patient_hold ph on ph.id = ps.hold_id"
          + " where ph.tenant = r.tenant and ps.study_uid = r.study_uid and ph.lifted_at is null)"
          + " and not exists (select 1 from"
          + " tiering.retention_purge p where p.tenant = r.tenant and p.study_uid = r.study_uid"
          + " and p.state <> 'DONE') on conflict do nothing";

  /**
   * The studies of a rule's tenant expired on or before a day, not held (study hold, or a patient
   * hold on the study's Patient ID), with their instances and bytes per bucket; the expiry as
   * {@link #REFRESH} computes it, nothing written.
   */
  private static final String DRY_RUN =
      "with expiry as (select st.pk, st.tenant, st.study_uid, greatest(st."
          + StudyTable.STUDY_DATE
          + " + make_interval(years => ?), case when cast(? as integer) is null then null else p."
          + PatientTable.BIRTH_DATE
          + " + make_interval(years => cast(? as integer)) end)::date as expires_on, p."
          + PatientTable.PATIENT_ID
          + " as patient_id, p."
          + PatientTable.ISSUER
          + " as issuer from "
          + StudyTable.NAME
          + " st left join "
          + PatientTable.NAME
          + " p on p.pk = st."
          + StudyTable.PATIENT_PK
          + " where st.tenant = ? and st."
          + StudyTable.STUDY_DATE
          + " is not null) select e.study_uid, e.expires_on, l.bucket, count(*), sum(l.size) from"
          + " expiry e"
          + IndexJoins.seriesOfStudy("se", "e")
          + IndexJoins.instancesOfSeries("i", "se")
          + IndexJoins.locationOfInstance("l", "i")
          + " where e.expires_on <= ? and not exists (select 1 from tiering.legal_hold h where"
          + " h.tenant = e.tenant and h.study_uid = e.study_uid and h.lifted_at is null) and not"
          + " exists (select 1 from tiering.patient_hold ph where ph.tenant = e.tenant and"
          + " ph.lifted_at is null and ph.patient_id = e.patient_id and (ph.issuer is null or"
          + " ph.issuer = e.issuer)) and not exists (select 1 from tiering.patient_hold_study ps"
          + " join tiering.patient_hold ph on ph.id = ps.hold_id where ph.tenant = e.tenant and"
          + " ps.study_uid = e.study_uid and ph.lifted_at is null) group by e.study_uid,"
          + " e.expires_on, l.bucket order by e.expires_on, e.study_uid";

  private final AgroalDataSource dataSource;

  public RetentionRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One study to purge. */
  public record Purge(
      UUID id, UUID eventId, String tenant, String studyUid, String rule, Instant requestedAt) {}

  /** What a purge step decided. */
  public record Outcome(String state, String reason, Instant notBefore, int objectsRemoved) {}

  /** A step run while the purge is claimed. */
  @FunctionalInterface
  public interface Step {
    Outcome run(Purge purge) throws Exception;
  }

  /** Computes (again) the expiry of every dated study of the rule's tenant; returns how many. */
  public int refresh(RetentionRule rule) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(REFRESH)) {
      ps.setString(1, rule.name());
      bindExpiry(ps, 2, rule);
      return ps.executeUpdate();
    }
  }

  /**
   * Journals a purge for every study of the current {@code rules} that expired on or before {@code
   * expiredBy}, is still in the index, not held and not being purged; returns how many.
   */
  public int plan(LocalDate expiredBy, List<String> rules) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(PLAN)) {
      ps.setDate(1, Date.valueOf(expiredBy));
      ps.setArray(2, c.createArrayOf("text", rules.toArray()));
      return ps.executeUpdate();
    }
  }

  /**
   * Binds the rule's expiry parameters from {@code first} on: years after the study, the age limit
   * twice (null when none), the tenant.
   */
  private static void bindExpiry(PreparedStatement ps, int first, RetentionRule rule)
      throws SQLException {
    ps.setInt(first, rule.yearsAfterStudy());
    if (rule.untilAge() == null) {
      ps.setNull(first + 1, Types.INTEGER);
      ps.setNull(first + 2, Types.INTEGER);
    } else {
      ps.setInt(first + 1, rule.untilAge());
      ps.setInt(first + 2, rule.untilAge());
    }
    ps.setString(first + 3, rule.tenant());
  }

  /** Part of a study a dry run would purge: its objects in one bucket. */
  public record Expired(
      String studyUid, LocalDate expiresOn, String bucket, long instances, long bytes) {}

  /** What the rule would purge of its tenant if the day were {@code expiredBy}; writes nothing. */
  public List<Expired> dryRun(RetentionRule rule, LocalDate expiredBy) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(DRY_RUN)) {
        bindExpiry(ps, 1, rule);
        ps.setDate(5, Date.valueOf(expiredBy));
        List<Expired> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Expired(
                    rs.getString(1),
                    rs.getDate(2).toLocalDate(),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getLong(5)));
          }
        }
        return out;
      } finally {
        c.setReadOnly(false);
      }
    }
  }

  /** Runs {@code step} on the next due purge and records its outcome; false when none is due. */
  public boolean advanceNext(Step step) throws Exception {
    return ClaimNext.run(
        dataSource,
        "select id, event_id, tenant, study_uid, rule, requested_at from tiering.retention_purge"
            + " where state <> 'DONE' and not_before <= now() order by not_before limit 1 for"
            + " update skip locked",
        rs -> {
          Timestamp at = rs.getTimestamp(6);
          return new Purge(
              rs.getObject(1, UUID.class),
              rs.getObject(2, UUID.class),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5),
              at == null ? null : at.toInstant());
        },
        step::run,
        (c, purge, o) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update tiering.retention_purge set state = ?, reason = ?, not_before = ?,"
                      + " objects_removed = objects_removed + ?, requested_at = case when ? ="
                      + " 'REQUESTED' then coalesce(requested_at, now()) else requested_at end,"
                      + " updated_at = now() where id = ?")) {
            ps.setString(1, o.state());
            ps.setString(2, o.reason());
            ps.setTimestamp(3, Timestamp.from(o.notBefore()));
            ps.setInt(4, o.objectsRemoved());
            ps.setString(5, o.state());
            ps.setObject(6, purge.id());
            ps.executeUpdate();
          }
        });
  }

  /** The purges by state, and the latest {@code limit} purges (newest first). */
  public Map<String, Object> progress(int limit) throws SQLException {
    Map<String, Long> states = new LinkedHashMap<>();
    List<Map<String, Object>> purges = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
              c.prepareStatement(
                  "select state, count(*) from tiering.retention_purge group by state order by"
                      + " state");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          states.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "select tenant, study_uid, rule, expires_on, state, reason, objects_removed,"
                  + " updated_at from tiering.retention_purge order by created_at desc limit ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tenant", rs.getString(1));
            m.put("study", rs.getString(2));
            m.put("rule", rs.getString(3));
            m.put("expiresOn", rs.getDate(4).toLocalDate().toString());
            m.put("state", rs.getString(5));
            m.put("reason", rs.getString(6));
            m.put("objectsRemoved", rs.getInt(7));
            m.put("updatedAt", rs.getTimestamp(8).toInstant().toString());
            purges.add(m);
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("states", states);
    out.put("purges", purges);
    return out;
  }
}
