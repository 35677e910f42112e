package org.strata.tiering.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.strata.events.AuditRecord.Channels;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.tiering.config.TieringConfig;
import org.strata.tiering.repository.PolicyCandidates;
import org.strata.tiering.repository.PolicyCandidates.Candidate;

/**
 * Lifecycle policies (ADR 0032): what each would move (dry-run) and, on a schedule and for a study
 * index just committed (ADR 0064), the moves of the enabled ones planned as ordinary journaled
 * moves (ADR 0031).
 */
@ApplicationScoped
public class PolicyEvaluator {
  private static final Logger LOG = Logger.getLogger(PolicyEvaluator.class);

  private final PolicyCandidates candidates;
  private final MovePlanner planner;
  private final TieredStorage storage;
  private final TieringConfig config;
  private final TieringAudit audit;
  private final PolicyBook book;
  private ScheduledExecutorService executor;

  public PolicyEvaluator(
      PolicyCandidates candidates,
      MovePlanner planner,
      TieredStorage storage,
      TieringConfig config,
      TieringAudit audit,
      PolicyBook book) {
    this.candidates = candidates;
    this.planner = planner;
    this.storage = storage;
    this.config = config;
    this.audit = audit;
    this.book = book;
  }

  void start(@Observes StartupEvent event) {
    List<LifecyclePolicy> policies = book.policies();
    LOG.infof(
        "%d lifecycle policies, %d enabled",
        policies.size(), policies.stream().filter(LifecyclePolicy::enabled).count());
    // Scheduled whenever there is a policies file: the admin API may enable a policy later.
    if (!config.policies().scheduled()
        || config.policies().file().filter(f -> !f.isBlank()).isEmpty()) {
      return;
    }
    Duration every = config.policies().interval();
    executor =
        Periodic.start("strata-tiering-policies", every, every, "policy evaluation", this::apply);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  public List<LifecyclePolicy> policies() {
    return book.policies();
  }

  /**
   * What one policy would move now.
   *
   * @param bytesByTier bytes to move, by the tier they are on now
   * @param objectsByTier objects (instances) to move, by the tier they are on now
   * @param studies the studies (tenant/study), at most the evaluation's limit
   */
  public record Preview(
      LifecyclePolicy policy,
      int studyCount,
      long instances,
      Map<String, Long> bytesByTier,
      Map<String, Long> objectsByTier,
      List<String> studies) {
    public long bytes() {
      return bytesByTier.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Every policy's preview, enabled or not; nothing is planned. */
  public List<Preview> dryRun() throws SQLException {
    return dryRun(p -> true);
  }

  /** The preview of every policy {@code which} accepts, enabled or not; nothing is planned. */
  public List<Preview> dryRun(Predicate<LifecyclePolicy> which) throws SQLException {
    List<Preview> out = new ArrayList<>();
    for (LifecyclePolicy p : book.policies()) {
      if (which.test(p)) {
        out.add(preview(p));
      }
    }
    return out;
  }

  /** One policy's preview (enabled or not); nothing is planned. */
  public Preview dryRun(LifecyclePolicy p) throws SQLException {
    return preview(p);
  }

  /** Plans the moves of every enabled policy; returns the jobs planned. */
  public int apply() throws SQLException {
    return apply(p -> true);
  }

  /** Plans the moves of every enabled policy {@code which} accepts; returns the jobs planned. */
  public int apply(Predicate<LifecyclePolicy> which) throws SQLException {
    return apply(which, null);
  }

  /**
   * Plans the moves of every enabled policy of the tenant (or of every tenant) for one study, as
   * the schedule would; returns the jobs planned.
   */
  public int applyToStudy(String tenant, String studyUid) throws SQLException {
    return apply(p -> p.tenant() == null || p.tenant().equals(tenant), studyUid);
  }

  private int apply(Predicate<LifecyclePolicy> which, String onlyStudy) throws SQLException {
    int planned = 0;
    for (LifecyclePolicy p : book.policies()) {
      if (!p.enabled() || !which.test(p)) {
        continue;
      }
      Tier target = tier(p);
      for (String study : preview(p, onlyStudy).studies()) {
        int slash = study.indexOf('/');
        planned +=
            planner
                .planStudy(
                    study.substring(0, slash),
                    study.substring(slash + 1),
                    target,
                    audit.service(),
                    Channels.SERVICE,
                    i -> p.selects(i.sopClassUid(), i.size()))
                .map(MovePlanner.Plan::planned)
                .orElse(0);
      }
    }
    if (planned > 0 && onlyStudy == null) {
      LOG.infof("lifecycle policies planned %d moves", planned);
    } else if (planned > 0) {
      LOG.debugf("lifecycle policies planned %d moves of study %s", planned, onlyStudy);
    }
    return planned;
  }

  private Preview preview(LifecyclePolicy p) throws SQLException {
    return preview(p, null);
  }

  private Preview preview(LifecyclePolicy p, String onlyStudy) throws SQLException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    List<Candidate> found =
        candidates.find(
            p.tenant(),
            onlyStudy,
            p.modality(),
            // A Study Date is a day: older than P1Y is before the day a year ago.
            p.since() == LifecyclePolicy.Since.STUDY_DATE
                ? now.toLocalDate().minus(p.olderThan())
                : null,
            // Ingest is an instant: older than P0D is any study index already has.
            p.since() == LifecyclePolicy.Since.INGEST ? now.minus(p.olderThan()).toInstant() : null,
            // Last access is an instant too (ADR 0072).
            p.since() == LifecyclePolicy.Since.ACCESS ? now.minus(p.olderThan()).toInstant() : null,
            p.sopClass(),
            p.minBytes(),
            tier(p).bucket(),
            config.policies().maxStudiesPerRun());
    Set<String> studies = new LinkedHashSet<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    Map<String, Long> objects = new LinkedHashMap<>();
    long instances = 0;
    for (Candidate c : found) {
      studies.add(c.tenant() + "/" + c.studyUid());
      String from = storage.tiers().ofBucket(c.bucket()).map(Tier::name).orElse(c.bucket());
      bytes.merge(from, c.bytes(), Long::sum);
      objects.merge(from, c.instances(), Long::sum);
      instances += c.instances();
    }
    return new Preview(p, studies.size(), instances, bytes, objects, List.copyOf(studies));
  }

  private Tier tier(LifecyclePolicy p) {
    return storage.tiers().named(p.toTier()).orElseThrow();
  }
}
