package org.strata.tiering.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.strata.events.InstanceDeleted;
import org.strata.events.ObjectLocation;

/**
 * {@code tiering.deletion_job}: the objects of deleted instances, removed after a grace period. A
 * replayed event adds nothing (one row per event, bucket and key); a job is claimed with {@code for
 * update skip locked} for its one step.
 */
@ApplicationScoped
public class DeletionJobRepository {
  private final AgroalDataSource dataSource;

  public DeletionJobRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One object set to delete. */
  public record DeletionJob(
      UUID id,
      String tenant,
      String studyUid,
      String bucket,
      String objectKey,
      String sidecarKey,
      String frameIndexKey,
      Instant createdAt) {}

  /** What a deletion step decided. */
  public record Outcome(String state, String reason, Instant notBefore) {}

  /** A step run while the job is claimed. */
  @FunctionalInterface
  public interface Step {
    Outcome run(DeletionJob job) throws Exception;
  }

  /** Journals the event's objects, due at {@code dueAt}; a replay adds nothing. */
  public void journal(InstanceDeleted event, Instant dueAt) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into tiering.deletion_job (id, event_id, tenant, study_uid, bucket,"
                    + " object_key, sidecar_key, frame_index_key, not_before) values (?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?) on conflict do nothing")) {
      for (ObjectLocation o : event.objects()) {
        ps.setObject(1, UUID.randomUUID());
        ps.setObject(2, UUID.fromString(event.eventId()));
        ps.setString(3, event.tenant());
        ps.setString(4, event.studyInstanceUid());
        ps.setString(5, o.bucket());
        ps.setString(6, o.key());
        ps.setString(7, o.sidecarKey());
        ps.setString(8, o.frameIndexKey());
        ps.setTimestamp(9, Timestamp.from(dueAt));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Runs {@code step} on the next due job and records its outcome; false when none is due. */
  public boolean advanceNext(Step step) throws Exception {
    return ClaimNext.run(
        dataSource,
        "select id, tenant, study_uid, bucket, object_key, sidecar_key, frame_index_key,"
            + " created_at from tiering.deletion_job where state = 'PENDING' and not_before <= now() order by"
            + " not_before limit 1 for update skip locked",
        rs ->
            new DeletionJob(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getTimestamp(8).toInstant()),
        step::run,
        (c, job, o) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update tiering.deletion_job set state = ?, reason = ?, not_before = ?,"
                      + " updated_at = now() where id = ?")) {
            ps.setString(1, o.state());
            ps.setString(2, o.reason());
            ps.setTimestamp(3, Timestamp.from(o.notBefore()));
            ps.setObject(4, job.id());
            ps.executeUpdate();
          }
        });
  }
}
