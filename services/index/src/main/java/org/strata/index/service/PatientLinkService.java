package org.strata.index.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.strata.events.PatientLinksChanged;
import org.strata.events.PatientLinksChanged.Change;
import org.strata.events.PatientLinksChanged.PatientRef;
import org.strata.index.messaging.IndexEventPublisher;
import org.strata.index.repository.PatientLinkRepository;
import org.strata.index.repository.PatientLinkRepository.PatientRow;

/**
 * Patient links (ADR 0012): groups of patients, of one tenant or several, that are one person. A
 * patient is in at most one group; linking patients of different groups merges the groups into the
 * oldest. Each change is one transaction that also writes its {@link PatientLinksChanged} events to
 * {@code patient_link_change}; they are published after the commit and marked published once Kafka
 * acknowledged them; what is left unpublished (Kafka down) goes out with the next change or at the
 * next start.
 *
 * <p>The rules live here, the SQL in {@link PatientLinkRepository}. Blocking: called on worker
 * threads (the admin API), awaiting the reactive pool.
 */
@ApplicationScoped
public class PatientLinkService {
  private static final Logger LOG = Logger.getLogger(PatientLinkService.class);

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

  private final PatientLinkRepository links;
  private final IndexEventPublisher publisher;

  public PatientLinkService(PatientLinkRepository links, IndexEventPublisher publisher) {
    this.links = links;
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

  /**
   * Links the patients into one group: a new link if none of them is linked, else the oldest of
   * their links, which absorbs the others.
   *
   * @param tenant the tenant making the request: at least one patient must be one of its own
   */
  public LinkResult link(String tenant, List<MemberRef> refs, String reason, String requestedBy) {
    List<PatientLinksChanged> events = new ArrayList<>();
    LinkResult result =
        links.inTransaction(
            c -> {
              Map<Long, PatientRow> patients = new LinkedHashMap<>();
              for (int i = 0; i < refs.size(); i++) {
                PatientRow p = resolve(c, refs.get(i), "members[" + i + "]");
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
              links.lockPatients(c, pks);
              List<UUID> existing = links.lockLinksOf(c, pks);
              Instant now = Instant.now();
              UUID target;
              boolean created = existing.isEmpty();
              List<PatientRef> before;
              if (created) {
                target = UUID.randomUUID();
                links.insertLink(c, target, requestedBy, reason);
                before = List.of();
              } else {
                target = existing.get(0);
                before = links.members(c, target);
              }
              for (UUID absorbed :
                  existing.subList(Math.min(1, existing.size()), existing.size())) {
                List<PatientRef> moved = links.members(c, absorbed);
                links.moveMembers(c, absorbed, target);
                links.deleteLink(c, absorbed);
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
              int inserted = links.addMembers(c, pks, target, requestedBy);
              List<PatientRef> after = links.members(c, target);
              boolean changed = created || existing.size() > 1 || inserted > 0;
              if (changed) {
                links.touch(c, target);
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
        links.inTransaction(
            c -> {
              List<PatientRef> before = lockVisible(c, tenant, linkId);
              PatientRow p = resolve(c, ref, "member");
              if (!before.contains(p.ref())) {
                throw new LinkException(404, "the patient is not a member of link " + linkId);
              }
              links.removeMember(c, p.pk());
              List<PatientRef> after = links.members(c, linkId);
              PatientLinksChanged event;
              if (after.size() < 2) {
                links.deleteLink(c, linkId);
                event = dissolved(tenant, linkId, before, reason, requestedBy);
              } else {
                links.touch(c, linkId);
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

  /** Dissolves a link: its patients are separate again; returns them. */
  public List<PatientRef> dissolve(String tenant, UUID linkId, String reason, String requestedBy) {
    List<PatientRef> members =
        links.inTransaction(
            c -> {
              List<PatientRef> before = lockVisible(c, tenant, linkId);
              links.deleteLink(c, linkId);
              record(c, List.of(dissolved(tenant, linkId, before, reason, requestedBy)));
              return before;
            });
    publishPending();
    return members;
  }

  /** The link, if it has a patient of the tenant; else null. */
  public Link get(String tenant, UUID linkId) {
    return links.inTransaction(c -> links.hasPatientOf(c, linkId, tenant) ? find(c, linkId) : null);
  }

  /**
   * The links with a patient of the tenant, oldest first; with {@code patientId} only the link of
   * that patient (and issuer, when given).
   */
  public List<Link> list(String tenant, String patientId, String issuer, int limit) {
    return links.inTransaction(
        c -> {
          List<Link> found = new ArrayList<>();
          for (UUID id : links.linksOf(c, tenant, patientId, issuer, limit)) {
            found.add(find(c, id));
          }
          return found;
        });
  }

  /**
   * Sends the events of committed changes that Kafka has not acknowledged yet, oldest first, and
   * marks each published. A failure leaves the rest for the next call (next change or start).
   */
  public void publishPending() {
    try {
      for (PatientLinkRepository.PendingChange pending : links.unpublished()) {
        // Bounded: a request must not hang on a broker that is away; the event stays pending.
        publisher.publishLinkChange(pending.event()).await().atMost(PUBLISH_TIMEOUT);
        links.markPublished(pending.eventId());
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
    if (!links.lockLink(c, linkId) || !links.hasPatientOf(c, linkId, tenant)) {
      throw new LinkException(404, "no link " + linkId + " with a patient of tenant " + tenant);
    }
    return links.members(c, linkId);
  }

  private PatientRow resolve(SqlConnection c, MemberRef ref, String what) {
    List<PatientRow> found = links.patients(c, ref.tenant(), ref.patientId(), ref.issuer());
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

  private Link find(SqlConnection c, UUID linkId) {
    PatientLinkRepository.LinkRow r = links.link(c, linkId);
    return new Link(
        linkId.toString(),
        r.createdAt(),
        r.createdBy(),
        r.reason(),
        r.updatedAt(),
        links.members(c, linkId));
  }

  private void record(SqlConnection c, List<PatientLinksChanged> events) {
    for (PatientLinksChanged e : events) {
      links.recordChange(c, e);
    }
  }
}
