package org.strata.routing.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.RoutingJob;
import org.strata.routing.service.JobState;

/**
 * The status of every job, by job id, in routing's own table {@code routing.job} (ADR 0041), so a
 * restart keeps what was sent, failed, given up or cancelled, and a dead job can still be retried.
 * The queue topics stay the record of the work (ADR 0029): a status write that fails is logged and
 * the job goes on; a read that fails is {@link Unavailable}.
 */
@ApplicationScoped
public class JobBoard {
  private static final Logger LOG = Logger.getLogger(JobBoard.class);
  private static final String COLUMNS =
      "job_id, destination, priority, rule_id, requested_by, tenant, study_uid, state, total, sent,"
          + " attempts, last_reason, updated_at, last_record, progress_event, progress";

  /**
   * One job's status. {@code last} is its latest record (what a retry republishes); {@code
   * progressEvent} and {@code progress}: how many instances of that record (by event id, null when
   * none) the destination confirmed during its attempt (ADR 0062).
   */
  public record Entry(
      String jobId,
      String destination,
      RoutingJob.Priority priority,
      String ruleId,
      String requestedBy,
      String tenant,
      String studyInstanceUid,
      JobState state,
      int total,
      int sent,
      int attempts,
      String lastReason,
      Instant updatedAt,
      RoutingJob last,
      String progressEvent,
      int progress) {

    /**
     * The instances of {@code record} the destination confirmed during an attempt interrupted
     * before its end (a crash): 0 when this status records none for that very record.
     */
    public int confirmedOf(RoutingJob record) {
      return record.eventId().equals(progressEvent)
          ? Math.min(progress, record.instances().size())
          : 0;
    }
  }

  /** The status table could not be read. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(SQLException cause) {
      super("routing job status unavailable: " + cause.getSQLState(), cause);
    }
  }

  private final AgroalDataSource dataSource;

  public JobBoard(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records {@code job} (its latest record) in {@code state}. */
  public void put(RoutingJob job, JobState state, int sentSoFar, String reason) {
    String sql =
        "insert into routing.job (job_id, tenant, destination, priority, rule_id, requested_by,"
            + " study_uid, state, total, sent, attempts, last_reason, updated_at, last_record)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (job_id) do update"
            + " set state = excluded.state, total = excluded.total, sent = excluded.sent,"
            + " attempts = excluded.attempts, last_reason = excluded.last_reason, updated_at ="
            + " excluded.updated_at, last_record = excluded.last_record";
    write(
        sql,
        ps -> {
          ps.setObject(1, UUID.fromString(job.jobId()));
          ps.setString(2, job.tenant());
          ps.setString(3, job.destination());
          ps.setString(4, job.priority().name());
          ps.setString(5, job.ruleId());
          ps.setString(6, job.requestedBy());
          ps.setString(7, job.studyInstanceUid());
          ps.setString(8, state.name());
          ps.setInt(9, sentSoFar + job.instances().size());
          ps.setInt(10, sentSoFar);
          ps.setInt(11, job.attempt());
          ps.setString(12, reason);
          ps.setTimestamp(13, Timestamp.from(Instant.now()));
          ps.setBytes(14, EventCodec.encode(job));
        },
        job.jobId());
  }

  /** Sets the state of a known job, keeping the rest. */
  public void mark(String jobId, JobState state, int sent, int attempts, String reason) {
    write(
        "update routing.job set state = ?, sent = ?, attempts = ?, last_reason = ?, updated_at ="
            + " ? where job_id = ?",
        ps -> {
          ps.setString(1, state.name());
          ps.setInt(2, sent);
          ps.setInt(3, attempts);
          ps.setString(4, reason);
          ps.setTimestamp(5, Timestamp.from(Instant.now()));
          ps.setObject(6, UUID.fromString(jobId));
        },
        jobId);
  }

  /**
   * Records that the destination confirmed the first {@code confirmed} instances of the record
   * {@code eventId} of a job (ADR 0062): what a restart does not send again.
   */
  public void progress(String jobId, String eventId, int confirmed) {
    write(
        "update routing.job set progress_event = ?, progress = ? where job_id = ?",
        ps -> {
          ps.setObject(1, UUID.fromString(eventId));
          ps.setInt(2, confirmed);
          ps.setObject(3, UUID.fromString(jobId));
        },
        jobId);
  }

  public Optional<Entry> get(String jobId) {
    UUID id;
    try {
      id = UUID.fromString(jobId);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return read(
            "select " + COLUMNS + " from routing.job where job_id = ?", ps -> ps.setObject(1, id))
        .stream()
        .findFirst();
  }

  /** Newest first, filtered by destination and state (null: any), at most {@code limit}. */
  public List<Entry> list(String destination, JobState state, int limit) {
    return read(
        "select "
            + COLUMNS
            + " from routing.job where (cast(? as text) is null or destination = ?) and (cast(? as"
            + " text) is null or state = ?) order by updated_at desc, job_id limit ?",
        ps -> {
          ps.setString(1, destination);
          ps.setString(2, destination);
          String s = state == null ? null : state.name();
          ps.setString(3, s);
          ps.setString(4, s);
          ps.setInt(5, limit);
        });
  }

  /** Jobs per state of one destination. */
  public Map<JobState, Integer> counts(String destination) {
    Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) {
      counts.put(s, 0);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select state, count(*) from routing.job where destination = ? group by state")) {
      ps.setString(1, destination);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(JobState.valueOf(rs.getString(1)), rs.getInt(2));
        }
      }
    } catch (SQLException e) {
      throw new Unavailable(e);
    }
    return counts;
  }

  @FunctionalInterface
  private interface Parameters {
    void set(PreparedStatement ps) throws SQLException;
  }

  private void write(String sql, Parameters parameters, String jobId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      parameters.set(ps);
      ps.executeUpdate();
    } catch (SQLException e) {
      LOG.warnf("status of routing job %s not written: %s", jobId, e.getSQLState());
    }
  }

  private List<Entry> read(String sql, Parameters parameters) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      parameters.set(ps);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Entry(
                  rs.getString(1),
                  rs.getString(2),
                  RoutingJob.Priority.valueOf(rs.getString(3)),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  JobState.valueOf(rs.getString(8)),
                  rs.getInt(9),
                  rs.getInt(10),
                  rs.getInt(11),
                  rs.getString(12),
                  rs.getTimestamp(13).toInstant(),
                  EventCodec.decode(rs.getBytes(14), RoutingJob.class),
                  rs.getString(15),
                  rs.getInt(16)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new Unavailable(e);
    }
  }

  /**
   * Deletes the rows of finished jobs (SENT, DEAD, CANCELLED) last changed before {@code before};
   * returns how many. Jobs still waiting or running are never deleted.
   */
  public int purgeFinishedBefore(Instant before) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "delete from routing.job where state in ('SENT', 'DEAD', 'CANCELLED') and"
                    + " updated_at < ?")) {
      ps.setTimestamp(1, Timestamp.from(before));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new Unavailable(e);
    }
  }
}
