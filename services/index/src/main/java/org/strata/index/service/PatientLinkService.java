package org.strata.index.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.PatientLinksChanged;
import org.strata.events.PatientLinksChanged.Change;
import org.strata.events.PatientLinksChanged.PatientRef;
import org.strata.index.messaging.IndexEventPublisher;

/**
 * Patient links (ADR 0012): groups of patients, of one tenant or several, that are one person. A
 * patient is in at most one group; linking patients of different groups merges the groups into the
 * oldest. Each change is one transaction that also writes its {@link PatientLinksChanged} events to
 * {@code patient_link_change}; they are published after the commit and marked published once Kafka
 * acknowledged them; what is left unpublished (Kafka down) goes out with the next change or at the
 * next start.
 *
 * <p>Blocking: called on worker threads (the admin API), awaiting the reactive pool.
 */
@ApplicationScoped
public class PatientLinkService {
  private static final Logger LOG = Logger.getLogger(PatientLinkService.class);

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

  private final Pool pool;
  private final IndexEventPublisher publisher;

  public PatientLinkService(Pool pool, IndexEventPublisher publisher) {
    this.pool = pool;
    this.publisher = publisher;
  }

  /** A patient as the admin names it; a null issuer means "the one patient with this ID". */
  public record MemberRef(String tenant, String patientId, String issuer) {}

  /** A link as the admin API shows it. */
  public record Link(
      String id,
      Instant createdAt,
      String createdBy,
      String reason,
      Instant updatedAt,
      List<PatientRef> members) {}

  /**
   * @param created whether the link is new (else existing patients' links were extended or merged)
   * @param changed whether anything changed (linking patients already linked changes nothing)
   */
  public record LinkResult(Link link, boolean created, boolean changed) {}

  /** A request the index cannot carry out: the HTTP status and a message without PHI in logs. */
  public static final class LinkException extends RuntimeException {
    private final int status;

    public LinkException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private record Patient(long pk, PatientRef ref) {}

  /**
   * Links the patients into one group: a new link if none of them is linked, else the oldest of
   * their links, which absorbs the others.
   *
   * @param tenant the tenant making the request: at least one patient must be one of its own
   */
  public LinkResult link(String tenant, List<MemberRef> refs, String reason, String requestedBy) {
    List<PatientLinksChanged> events = new ArrayList<>();
    LinkResult result =
        inTransaction(
            c -> {
              Map<Long, Patient> patients = new LinkedHashMap<>();
              for (int i = 0; i < refs.size(); i++) {
                Patient p = resolve(c, refs.get(i), "members[" + i + "]");
                patients.putIfAbsent(p.pk(), p);
              }
              if (patients.size() < 2) {
                throw new LinkException(400, "a patient cannot be linked to itself");
              }
              if (patients.values().stream().noneMatch(p -> p.ref().tenant().equals(tenant))) {
                throw new LinkException(
                    400, "at least one member must be a patient of tenant " + tenant);
              }
              Long[] pks = patients.keySet().toArray(Long[]::new);
              execute(
                  c,
                  "select pk from patient where pk = any($1) order by pk for update",
                  (Object) pks);
              // The links the patients are in, oldest first; locked so that concurrent changes of
              // them wait for this one.
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
              Instant now = Instant.now();
              UUID target;
              boolean created = links.isEmpty();
              List<PatientRef> before;
              if (created) {
                target = UUID.randomUUID();
                execute(
                    c,
                    "insert into patient_link (id, created_by, reason) values ($1, $2, $3)",
                    target,
                    requestedBy,
                    reason);
                before = List.of();
              } else {
                target = links.get(0);
                before = members(c, target);
              }
              for (UUID absorbed : links.subList(Math.min(1, links.size()), links.size())) {
                List<PatientRef> moved = members(c, absorbed);
                execute(
                    c,
                    "update patient_link_member set link_id = $1 where link_id = $2",
                    target,
                    absorbed);
                execute(c, "delete from patient_link where id = $1", absorbed);
                events.add(
                    new PatientLinksChanged(
                        UUID.randomUUID().toString(),
                        now,
                        tenant,
                        absorbed.toString(),
                        Change.MERGED,
                        List.of(),
                        List.of(),
                        moved,
                        target.toString(),
                        reason,
                        requestedBy));
              }
              int inserted =
                  execute(
                          c,
                          "insert into patient_link_member (patient_pk, link_id, added_by) select"
                              + " pk, $2, $3 from unnest($1::bigint[]) pk on conflict (patient_pk)"
                              + " do nothing",
                          pks,
                          target,
                          requestedBy)
                      .rowCount();
              List<PatientRef> after = members(c, target);
              boolean changed = created || links.size() > 1 || inserted > 0;
              if (changed) {
                execute(c, "update patient_link set updated_at = now() where id = $1", target);
                List<PatientRef> added = new ArrayList<>(after);
                added.removeAll(before);
                events.add(
                    new PatientLinksChanged(
                        UUID.randomUUID().toString(),
                        now,
                        tenant,
                        target.toString(),
                        Change.LINKED,
                        after,
                        added,
                        List.of(),
                        null,
                        reason,
                        requestedBy));
              }
              record(c, events);
              return new LinkResult(find(c, target), created, changed);
            });
    publishPending();
    return result;
  }

  /**
   * Removes one patient from a link; a link left with fewer than two patients is dissolved.
   *
   * @return the link afterwards, null if it was dissolved
   */
  public Link unlink(String tenant, UUID linkId, MemberRef ref, String reason, String requestedBy) {
    Link result =
        inTransaction(
            c -> {
              List<PatientRef> before = lockVisible(c, tenant, linkId);
              Patient p = resolve(c, ref, "member");
              if (!before.contains(p.ref())) {
                throw new LinkException(404, "the patient is not a member of link " + linkId);
              }
              execute(c, "delete from patient_link_member where patient_pk = $1", p.pk());
              List<PatientRef> after = members(c, linkId);
              PatientLinksChanged event;
              if (after.size() < 2) {
                execute(c, "delete from patient_link where id = $1", linkId);
                event = dissolved(tenant, linkId, before, reason, requestedBy);
              } else {
                execute(c, "update patient_link set updated_at = now() where id = $1", linkId);
                event =
                    new PatientLinksChanged(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        tenant,
                        linkId.toString(),
                        Change.UNLINKED,
                        after,
                        List.of(),
                        List.of(p.ref()),
                        null,
                        reason,
                        requestedBy);
              }
              record(c, List.of(event));
              return after.size() < 2 ? null : find(c, linkId);
            });
    publishPending();
    return result;
  }

  /** Dissolves a link: its patients are separate again. */
  public void dissolve(String tenant, UUID linkId, String reason, String requestedBy) {
    inTransaction(
        c -> {
          List<PatientRef> before = lockVisible(c, tenant, linkId);
          execute(c, "delete from patient_link where id = $1", linkId);
          record(c, List.of(dissolved(tenant, linkId, before, reason, requestedBy)));
          return null;
        });
    publishPending();
  }

  /** The link, if it has a patient of the tenant; else null. */
  public Link get(String tenant, UUID linkId) {
    return inTransaction(c -> visible(c, tenant, linkId) ? find(c, linkId) : null);
  }

  /**
   * The links with a patient of the tenant, oldest first; with {@code patientId} only the link of
   * that patient (and issuer, when given).
   */
  public List<Link> list(String tenant, String patientId, String issuer, int limit) {
    return inTransaction(
        c -> {
          List<Link> links = new ArrayList<>();
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
            links.add(find(c, r.getUUID("id")));
          }
          return links;
        });
  }

  /**
   * Sends the events of committed changes that Kafka has not acknowledged yet, oldest first, and
   * marks each published. A failure leaves the rest for the next call (next change or start).
   */
  public void publishPending() {
    try {
      RowSet<Row> pending =
          pool.preparedQuery(
                  "select event_id, event::text as event from patient_link_change where"
                      + " published_at is null order by changed_at, event_id")
              .execute()
              .await()
              .indefinitely();
      for (Row r : pending) {
        PatientLinksChanged event =
            EventCodec.decode(
                r.getString("event").getBytes(StandardCharsets.UTF_8), PatientLinksChanged.class);
        // Bounded: a request must not hang on a broker that is away; the event stays pending.
        publisher.publishLinkChange(event).await().atMost(PUBLISH_TIMEOUT);
        pool.preparedQuery(
                "update patient_link_change set published_at = now() where event_id = $1")
            .execute(Tuple.of(r.getUUID("event_id")))
            .await()
            .indefinitely();
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          "patient link events not published yet (retried with the next change or at start): %s",
          e.toString());
    }
  }

  void publishAtStart(@Observes StartupEvent event) {
    Infrastructure.getDefaultWorkerPool().execute(this::publishPending);
  }

  private PatientLinksChanged dissolved(
      String tenant, UUID linkId, List<PatientRef> before, String reason, String requestedBy) {
    return new PatientLinksChanged(
        UUID.randomUUID().toString(),
        Instant.now(),
        tenant,
        linkId.toString(),
        Change.DISSOLVED,
        List.of(),
        List.of(),
        before,
        null,
        reason,
        requestedBy);
  }

  /** Locks the link; 404 unless it exists and has a patient of the tenant. Its members. */
  private List<PatientRef> lockVisible(SqlConnection c, String tenant, UUID linkId) {
    if (!execute(c, "select id from patient_link where id = $1 for update", linkId)
            .iterator()
            .hasNext()
        || !visible(c, tenant, linkId)) {
      throw new LinkException(404, "no link " + linkId + " with a patient of tenant " + tenant);
    }
    return members(c, linkId);
  }

  private boolean visible(SqlConnection c, String tenant, UUID linkId) {
    return execute(
            c,
            "select 1 from patient_link_member m join patient p on p.pk = m.patient_pk where"
                + " m.link_id = $1 and p.tenant = $2 limit 1",
            linkId,
            tenant)
        .iterator()
        .hasNext();
  }

  private Patient resolve(SqlConnection c, MemberRef ref, String what) {
    List<Patient> found = new ArrayList<>();
    for (Row r :
        execute(
            c,
            "select pk, tenant, patient_id, issuer from patient where tenant = $1 and patient_id"
                + " = $2 and ($3::text is null or issuer = $3) order by pk limit 2",
            ref.tenant(),
            ref.patientId(),
            ref.issuer())) {
      found.add(
          new Patient(
              r.getLong("pk"),
              new PatientRef(
                  r.getString("tenant"), r.getString("patient_id"), r.getString("issuer"))));
    }
    if (found.isEmpty()) {
      throw new LinkException(404, what + ": no such patient in tenant " + ref.tenant());
    }
    if (found.size() > 1) {
      throw new LinkException(
          409,
          what
              + ": several patients of tenant "
              + ref.tenant()
              + " have this Patient ID; give the issuer");
    }
    return found.get(0);
  }

  private List<PatientRef> members(SqlConnection c, UUID linkId) {
    List<PatientRef> members = new ArrayList<>();
    for (Row r :
        execute(
            c,
            "select p.tenant, p.patient_id, p.issuer from patient_link_member m join patient p on"
                + " p.pk = m.patient_pk where m.link_id = $1 order by p.tenant, p.patient_id,"
                + " p.issuer",
            linkId)) {
      members.add(
          new PatientRef(r.getString("tenant"), r.getString("patient_id"), r.getString("issuer")));
    }
    return members;
  }

  private Link find(SqlConnection c, UUID linkId) {
    Row r =
        execute(
                c,
                "select id, created_at, created_by, reason, updated_at from patient_link where id"
                    + " = $1",
                linkId)
            .iterator()
            .next();
    return new Link(
        linkId.toString(),
        instant(r.getOffsetDateTime("created_at")),
        r.getString("created_by"),
        r.getString("reason"),
        instant(r.getOffsetDateTime("updated_at")),
        members(c, linkId));
  }

  private void record(SqlConnection c, List<PatientLinksChanged> events) {
    for (PatientLinksChanged e : events) {
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
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static RowSet<Row> execute(SqlConnection c, String sql, Object... params) {
    return c.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
  }

  private <T> T inTransaction(Function<SqlConnection, T> work) {
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
}
