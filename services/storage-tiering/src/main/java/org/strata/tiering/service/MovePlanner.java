package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.strata.http.auth.CallerIdentity;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.tiering.repository.IndexLocations;
import org.strata.tiering.repository.IndexedInstance;
import org.strata.tiering.repository.MoveJob;
import org.strata.tiering.repository.MoveJobRepository;

/** Turns "move this study to that tier" into one journaled job per instance not there yet. */
@ApplicationScoped
public class MovePlanner {
  private final IndexLocations index;
  private final MoveJobRepository jobs;
  private final TieredStorage storage;
  private final TieringAudit audit;

  public MovePlanner(
      IndexLocations index, MoveJobRepository jobs, TieredStorage storage, TieringAudit audit) {
    this.index = index;
    this.jobs = jobs;
    this.storage = storage;
    this.audit = audit;
  }

  /**
   * What planning did.
   *
   * @param planned jobs journaled now
   * @param alreadyOnTier instances already on the target tier
   * @param skipped instances not moved: already being moved, no SHA-256 recorded (indexed before
   *     ingest recorded one: nothing to verify a copy against), or in a bucket of no tier
   */
  public record Plan(UUID requestId, List<UUID> jobs, int alreadyOnTier, int skipped) {
    public int planned() {
      return jobs.size();
    }
  }

  /**
   * Empty when the index has no instance of the study. What was planned is audited as {@code
   * caller} asking through {@code channel}, one record per source tier.
   */
  public Optional<Plan> planStudy(
      String tenant, String study, Tier target, CallerIdentity caller, String channel)
      throws SQLException {
    return planStudy(tenant, study, target, caller, channel, i -> true);
  }

  /**
   * As {@link #planStudy(String, String, Tier, CallerIdentity, String)}, for the instances of the
   * study {@code which} accepts (a lifecycle policy's SOP class and size); the others are left
   * where they are and not counted.
   */
  public Optional<Plan> planStudy(
      String tenant,
      String study,
      Tier target,
      CallerIdentity caller,
      String channel,
      Predicate<IndexedInstance> which)
      throws SQLException {
    List<IndexedInstance> instances = index.ofStudy(tenant, study).stream().filter(which).toList();
    if (instances.isEmpty()) {
      return Optional.empty();
    }
    UUID request = UUID.randomUUID();
    List<UUID> planned = new ArrayList<>();
    int already = 0;
    int skipped = 0;
    Map<String, Integer> byFromTier = new TreeMap<>();
    for (IndexedInstance i : instances) {
      Optional<Tier> from = storage.tiers().ofBucket(i.bucket());
      if (i.bucket().equals(target.bucket())) {
        already++;
      } else if (from.isEmpty() || i.sha256() == null) {
        skipped++;
      } else {
        MoveJob job = job(request, i, from.get(), target);
        if (jobs.plan(job)) {
          planned.add(job.id());
          byFromTier.merge(from.get().name(), 1, Integer::sum);
        } else {
          skipped++;
        }
      }
    }
    audit.moves(caller, channel, tenant, study, byFromTier, target.name());
    return Optional.of(new Plan(request, planned, already, skipped));
  }

  private static MoveJob job(UUID request, IndexedInstance i, Tier from, Tier to) {
    return new MoveJob(
        UUID.randomUUID(),
        request,
        i.tenant(),
        i.studyUid(),
        i.seriesUid(),
        i.sopInstanceUid(),
        i.version(),
        from.name(),
        i.bucket(),
        to.name(),
        to.bucket(),
        i.objectKey(),
        i.sidecarKey(),
        i.frameIndexKey(),
        i.size(),
        i.sha256(),
        MoveState.PLANNED,
        null,
        0,
        null);
  }
}
