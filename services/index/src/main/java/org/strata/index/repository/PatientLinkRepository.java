package org.strata.index.repository;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.strata.events.EventCodec;
import org.strata.events.PatientLinksChanged;
import org.strata.events.PatientLinksChanged.PatientRef;

/**
 * The SQL of patient links (ADR 0012): {@code patient_link}, {@code patient_link_member} and the
 * outbox {@code patient_link_change}. Methods taking a connection run in the caller's transaction
 * ({@link #inTransaction}); blocking, awaiting the reactive pool (worker threads only).
 */
@ApplicationScoped
public class PatientLinkRepository {

  /** A patient row and its identity. */
  public record PatientRow(long pk, PatientRef ref) {}

  /** A link's own columns. */
  public record LinkRow(
      UUID id, Instant createdAt, String createdBy, String reason, Instant updatedAt) {}

  /** A committed change whose event Kafka has not acknowledged yet. */
  public record PendingChange(UUID eventId, PatientLinksChanged event) {}

  private final Pool pool;

  public PatientLinkRepository(Pool pool) {
    this.pool = pool;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  public <T> T inTransaction(Function<SqlConnection, T> work) {
    SqlConnection c = pool.getConnection().await().indefinitely();
    try {
      Transaction tx = c.begin().await().indefinitely();
      try {
        T result = work.apply(c);
        tx.commit().await().indefinitely();
        return result;
      } catch (RuntimeException e) {
        tx.rollback().await().indefinitely();
        throw e;
      }
    } finally {
      c.close().await().indefinitely();
    }
  }

  /** Locks the patients' rows, in key order (so concurrent changes cannot deadlock). */
  public void lockPatients(SqlConnection c, Long[] pks) {
    execute(c, "select pk from patient where pk = any($1) order by pk for update", (Object) pks);
  }

  /**
   * The links the patients are in, oldest first; locked so that concurrent changes of them wait for
   * this one.
   */
  public List<UUID> lockLinksOf(SqlConnection c, Long[] pks) {
    List<UUID> links = new ArrayList<>();
    for (Row r :
        execute(
            c,
            "select l.id from patient_link l where l.id in (select link_id from"
                + " patient_link_member where patient_pk = any($1)) order by"
                + " l.created_at, l.id for update",
            (Object) pks)) {
      links.add(r.getUUID("id"));
    }
    return links;
  }

  /** Locks the link; false if there is none. */
  public boolean lockLink(SqlConnection c, UUID linkId) {
    return execute(c, "select id from patient_link where id = $1 for update", linkId)
        .iterator()
        .hasNext();
  }

  public void insertLink(SqlConnection c, UUID id, String createdBy, String reason) {
    execute(
        c,
        "insert into patient_link (id, created_by, reason) values ($1, $2, $3)",
        id,
        createdBy,
        reason);
  }

  /** Moves every member of link {@code from} to link {@code to}. */
  public void moveMembers(SqlConnection c, UUID from, UUID to) {
    execute(c, "update patient_link_member set link_id = $1 where link_id = $2", to, from);
  }

  /** Deletes the link; its members go with it (cascade). */
  public void deleteLink(SqlConnection c, UUID linkId) {
    execute(c, "delete from patient_link where id = $1", linkId);
  }

  /** Adds the patients not in a link yet to {@code linkId}; how many were added. */
  public int addMembers(SqlConnection c, Long[] pks, UUID linkId, String addedBy) {
    return execute(
            c,
            "insert into patient_link_member (patient_pk, link_id, added_by) select"
                + " pk, $2, $3 from unnest($1::bigint[]) pk on conflict (patient_pk)"
                + " do nothing",
            pks,
            linkId,
            addedBy)
        .rowCount();
  }

  public void removeMember(SqlConnection c, long patientPk) {
    execute(c, "delete from patient_link_member where patient_pk = $1", patientPk);
  }

  public void touch(SqlConnection c, UUID linkId) {
    execute(c, "update patient_link set updated_at = now() where id = $1", linkId);
  }

  /** Whether the link has a patient of the tenant. */
  public boolean hasPatientOf(SqlConnection c, UUID linkId, String tenant) {
    return execute(
            c,
            "select 1 from patient_link_member m join patient p on p.pk = m.patient_pk where"
                + " m.link_id = $1 and p.tenant = $2 limit 1",
            linkId,
            tenant)
        .iterator()
        .hasNext();
  }

  /** Up to two patients of the tenant with this Patient ID (and issuer, when not null). */
  public List<PatientRow> patients(
      SqlConnection c, String tenant, String patientId, String issuer) {
    List<PatientRow> found = new ArrayList<>();
    for (Row r :
        execute(
            c,
            "select pk, tenant, patient_id, issuer from patient where tenant = $1 and patient_id"
                + " = $2 and ($3::text is null or issuer = $3) order by pk limit 2",
            tenant,
            patientId,
            issuer)) {
      found.add(new PatientRow(r.getLong("pk"), ref(r)));
    }
    return found;
  }

  /** The link's members, in tenant, Patient ID, issuer order. */
  public List<PatientRef> members(SqlConnection c, UUID linkId) {
    List<PatientRef> members = new ArrayList<>();
    for (Row r :
        execute(
            c,
            "select p.tenant, p.patient_id, p.issuer from patient_link_member m join patient p on"
                + " p.pk = m.patient_pk where m.link_id = $1 order by p.tenant, p.patient_id,"
                + " p.issuer",
            linkId)) {
      members.add(ref(r));
    }
    return members;
  }

  /** The link's row; it must exist. */
  public LinkRow link(SqlConnection c, UUID linkId) {
    Row r =
        execute(
                c,
                "select id, created_at, created_by, reason, updated_at from patient_link where id"
                    + " = $1",
                linkId)
            .iterator()
            .next();
    return new LinkRow(
        linkId,
        instant(r.getOffsetDateTime("created_at")),
        r.getString("created_by"),
        r.getString("reason"),
        instant(r.getOffsetDateTime("updated_at")));
  }

  /**
   * The links with a patient of the tenant, oldest first, at most {@code limit}; with {@code
   * patientId} only the link of that patient (and issuer, when given).
   */
  public List<UUID> linksOf(
      SqlConnection c, String tenant, String patientId, String issuer, int limit) {
    List<UUID> links = new ArrayList<>();
    for (Row r :
        execute(
            c,
            "select distinct l.id, l.created_at from patient_link l join patient_link_member"
                + " m on m.link_id = l.id join patient p on p.pk = m.patient_pk where"
                + " p.tenant = $1 and ($2::text is null or p.patient_id = $2) and ($3::text"
                + " is null or p.issuer = $3) order by l.created_at, l.id limit $4",
            tenant,
            patientId,
            issuer,
            (long) limit)) {
      links.add(r.getUUID("id"));
    }
    return links;
  }

  /** Writes a change and its event to the outbox, in the change's transaction. */
  public void recordChange(SqlConnection c, PatientLinksChanged e) {
    execute(
        c,
        "insert into patient_link_change (event_id, link_id, change, requested_by, reason,"
            + " event) values ($1, $2, $3, $4, $5, cast($6::text as jsonb))",
        UUID.fromString(e.eventId()),
        UUID.fromString(e.linkId()),
        e.change().name(),
        e.requestedBy(),
        e.reason(),
        new String(EventCodec.encode(e), StandardCharsets.UTF_8));
  }

  /** The changes whose events are not published yet, oldest first. */
  public List<PendingChange> unpublished() {
    RowSet<Row> pending =
        pool.preparedQuery(
                "select event_id, event::text as event from patient_link_change where"
                    + " published_at is null order by changed_at, event_id")
            .execute()
            .await()
            .indefinitely();
    List<PendingChange> changes = new ArrayList<>();
    for (Row r : pending) {
      changes.add(
          new PendingChange(
              r.getUUID("event_id"),
              EventCodec.decode(
                  r.getString("event").getBytes(StandardCharsets.UTF_8),
                  PatientLinksChanged.class)));
    }
    return changes;
  }

  public void markPublished(UUID eventId) {
    pool.preparedQuery("update patient_link_change set published_at = now() where event_id = $1")
        .execute(Tuple.of(eventId))
        .await()
        .indefinitely();
  }

  private static PatientRef ref(Row r) {
    return new PatientRef(r.getString("tenant"), r.getString("patient_id"), r.getString("issuer"));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static RowSet<Row> execute(SqlConnection c, String sql, Object... params) {
    return c.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
  }
}
