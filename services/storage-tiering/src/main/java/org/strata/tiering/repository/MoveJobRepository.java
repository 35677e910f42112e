package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.strata.tiering.service.MoveState;

/**
 * The move journal, {@code tiering.move_job} (storage-tiering's own schema). A job is claimed with
 * {@code for update skip locked} for the length of one step, so two workers (two replicas) never
 * run the same step, and a worker that dies releases its claim with its connection.
 */
@ApplicationScoped
public class MoveJobRepository {
  private static final String TABLE = "tiering.move_job";
  private static final String FINISHED = "('DONE', 'REFUSED', 'ROLLED_BACK')";
  private static final String COLUMNS =
      "id, request_id, tenant, study_uid, series_uid, sop_instance_uid, version, from_tier,"
          + " from_bucket, to_tier, to_bucket, object_key, sidecar_key, frame_index_key, size,"
          + " sha256, state, reason, attempts, switched_at";

  private final AgroalDataSource dataSource;

  public MoveJobRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Journals a planned move; false when the instance already has an unfinished move (the request is
   * then idempotent for it).
   */
  public boolean plan(MoveJob j) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into "
                    + TABLE
                    + " (id, request_id, tenant, study_uid, series_uid, sop_instance_uid, version,"
                    + " from_tier, from_bucket, to_tier, to_bucket, object_key, sidecar_key,"
                    + " frame_index_key, size, sha256, state) values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?, 'PLANNED') on conflict do nothing")) {
      ps.setObject(1, j.id());
      ps.setObject(2, j.requestId());
      ps.setString(3, j.tenant());
      ps.setString(4, j.studyUid());
      ps.setString(5, j.seriesUid());
      ps.setString(6, j.sopInstanceUid());
      ps.setInt(7, j.version());
      ps.setString(8, j.fromTier());
      ps.setString(9, j.fromBucket());
      ps.setString(10, j.toTier());
      ps.setString(11, j.toBucket());
      ps.setString(12, j.objectKey());
      ps.setString(13, j.sidecarKey());
      ps.setString(14, j.frameIndexKey());
      ps.setLong(15, j.size());
      ps.setString(16, j.sha256());
      return ps.executeUpdate() == 1;
    }
  }

  /** What a step decided: the job's next state and when it is due again. */
  public record Transition(
      MoveState state, String reason, Instant notBefore, Instant switchedAt, boolean failed) {}

  /** One step of one job, run while the job's row is claimed. */
  @FunctionalInterface
  public interface Step {
    Transition run(MoveJob job);
  }

  /**
   * Claims the next due unfinished job (skipping those another worker holds), runs {@code step} on
   * it and journals the transition in the same transaction; empty when no job is due.
   */
  public Optional<Transition> advanceNext(Step step) throws SQLException {
    return advance(null, step);
  }

  /** As {@link #advanceNext}, for one job (tests drive a job step by step). */
  public Optional<Transition> advance(UUID id, Step step) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        MoveJob job = claim(c, id);
        if (job == null) {
          c.rollback();
          return Optional.empty();
        }
        Transition t = step.run(job);
        record(c, job, t);
        c.commit();
        return Optional.of(t);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static MoveJob claim(Connection c, UUID id) throws SQLException {
    String where =
        id == null ? "not_before <= now() order by not_before limit 1" : "id = ? limit 1";
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + COLUMNS
                + " from "
                + TABLE
                + " where state not in "
                + FINISHED
                + " and "
                + where
                + " for update skip locked")) {
      if (id != null) {
        ps.setObject(1, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? job(rs) : null;
      }
    }
  }

  private static void record(Connection c, MoveJob job, Transition t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update "
                + TABLE
                + " set state = ?, reason = ?, not_before = ?, switched_at = coalesce(?,"
                + " switched_at), attempts = case when ? then attempts + 1 else 0 end, updated_at"
                + " = now() where id = ?")) {
      ps.setString(1, t.state().name());
      ps.setString(2, t.reason());
      ps.setTimestamp(3, Timestamp.from(t.notBefore()));
      ps.setTimestamp(4, t.switchedAt() == null ? null : Timestamp.from(t.switchedAt()));
      ps.setBoolean(5, t.failed());
      ps.setObject(6, job.id());
      ps.executeUpdate();
    }
  }

  /** The jobs of one request, in planning order. */
  public List<MoveJob> ofRequest(UUID requestId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select "
                    + COLUMNS
                    + " from "
                    + TABLE
                    + " where request_id = ? order by created_at, sop_instance_uid")) {
      ps.setObject(1, requestId);
      List<MoveJob> out = new java.util.ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(job(rs));
        }
      }
      return out;
    }
  }

  /** Jobs by state, for metrics and the API. */
  public Map<MoveState, Long> countByState() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select state, count(*) from " + TABLE + " group by state");
        ResultSet rs = ps.executeQuery()) {
      Map<MoveState, Long> out = new LinkedHashMap<>();
      while (rs.next()) {
        out.put(MoveState.valueOf(rs.getString(1)), rs.getLong(2));
      }
      return out;
    }
  }

  private static MoveJob job(ResultSet rs) throws SQLException {
    Timestamp switched = rs.getTimestamp("switched_at");
    return new MoveJob(
        rs.getObject("id", UUID.class),
        rs.getObject("request_id", UUID.class),
        rs.getString("tenant"),
        rs.getString("study_uid"),
        rs.getString("series_uid"),
        rs.getString("sop_instance_uid"),
        rs.getInt("version"),
        rs.getString("from_tier"),
        rs.getString("from_bucket"),
        rs.getString("to_tier"),
        rs.getString("to_bucket"),
        rs.getString("object_key"),
        rs.getString("sidecar_key"),
        rs.getString("frame_index_key"),
        rs.getLong("size"),
        rs.getString("sha256"),
        MoveState.valueOf(rs.getString("state")),
        rs.getString("reason"),
        rs.getInt("attempts"),
        switched == null ? null : switched.toInstant());
  }
}
