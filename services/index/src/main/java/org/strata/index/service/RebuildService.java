package org.strata.index.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.events.MetadataCompression;
import org.strata.index.config.IndexConfig;
import org.strata.storage.ObjectStore;

/**
 * Rebuilds the index of a tenant (or of all) from the metadata sidecars in S3 (ADR 0007): lists the
 * tenant's prefix, turns each {@code .json} sidecar and its user metadata back into the
 * InstanceStored that indexed it, and applies those in batches through the same idempotent {@link
 * InstanceIndexer} as the consumer. Running it over a live index changes nothing; over an emptied
 * one it restores the rows. Follow-up events are not published: a rebuild announces nothing new.
 *
 * <p>Jobs are rows of {@code rebuild_job}, checkpointed after every batch (counters and the last
 * object key applied). A RUNNING job whose owner has not checkpointed for {@code
 * strata.index.rebuild.stale-after} is claimed and resumed after that key, at start and by a sweep
 * that runs as often: a rebuild survives the restart or loss of its instance.
 */
@ApplicationScoped
public class RebuildService {
  private static final Logger LOG = Logger.getLogger(RebuildService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  // A full batch, or this many objects listed, between checkpoints (a prefix with few sidecars
  // still checkpoints, so its job never looks stale while it lists).
  private static final int CHECKPOINT_OBJECTS = 1000;

  private final ObjectStore store;
  private final InstanceIndexer indexer;
  private final OnVertx onVertx;
  private final Pool pool;
  private final int batchSize;
  private final Duration staleAfter;
  private final String owner = "index-" + UUID.randomUUID();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private volatile Thread sweeper;

  public RebuildService(
      ObjectStore store, InstanceIndexer indexer, OnVertx onVertx, Pool pool, IndexConfig config) {
    this.store = store;
    this.indexer = indexer;
    this.onVertx = onVertx;
    this.pool = pool;
    this.batchSize = config.rebuild().batchSize();
    this.staleAfter = config.rebuild().staleAfter();
  }

  /** A rebuild's progress; counters move while it runs. */
  public static final class Job {
    public final String id;
    public final String tenant;
    public final Instant startedAt;
    public volatile Instant finishedAt;
    public volatile String state = "RUNNING";
    public volatile String error;
    public final AtomicLong objectsScanned = new AtomicLong();
    public final AtomicLong sidecars = new AtomicLong();
    public final AtomicLong indexed = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();

    /** The last object key whose sidecar is applied (checkpointed), null before the first. */
    volatile String resumeAfter;

    Job(String id, String tenant, Instant startedAt) {
      this.id = id;
      this.tenant = tenant;
      this.startedAt = startedAt;
    }

    static Job of(Row r) {
      Job job =
          new Job(
              r.getUUID("id").toString(),
              r.getString("tenant"),
              r.getOffsetDateTime("started_at").toInstant());
      job.state = r.getString("state");
      job.objectsScanned.set(r.getLong("objects_scanned"));
      job.sidecars.set(r.getLong("sidecars"));
      job.indexed.set(r.getLong("indexed"));
      job.failed.set(r.getLong("failed"));
      job.resumeAfter = r.getString("resume_after");
      job.error = r.getString("error");
      OffsetDateTime finished = r.getOffsetDateTime("finished_at");
      job.finishedAt = finished == null ? null : finished.toInstant();
      return job;
    }
  }

  /** Starts a rebuild of {@code tenant} (null: every tenant) in the background. */
  public Job start(String tenant) {
    Job job = new Job(UUID.randomUUID().toString(), tenant, Instant.now());
    sql(
        "insert into rebuild_job (id, tenant, state, owner, started_at, checkpoint_at) values ($1,"
            + " $2, 'RUNNING', $3, $4, now())",
        UUID.fromString(job.id),
        tenant,
        owner,
        job.startedAt.atOffset(ZoneOffset.UTC));
    launch(job);
    return job;
  }

  /** The job: live if this instance runs it, else as last checkpointed. */
  public Optional<Job> job(String id) {
    Job live = jobs.get(id);
    if (live != null) {
      return Optional.of(live);
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (Row r : sql("select * from rebuild_job where id = $1", uuid)) {
      return Optional.of(Job.of(r));
    }
    return Optional.empty();
  }

  /**
   * Claims the RUNNING jobs that nobody has checkpointed for {@code stale-after} (their instance
   * stopped) and resumes them after their last checkpoint.
   *
   * @return the ids of the jobs this call resumed
   */
  public List<String> resumeStale() {
    List<String> resumed = new ArrayList<>();
    for (Row r :
        sql(
            "update rebuild_job set owner = $1, checkpoint_at = now() where state = 'RUNNING' and"
                + " checkpoint_at < now() - make_interval(secs => $2) returning *",
            owner,
            (double) staleAfter.toMillis() / 1000)) {
      Job job = Job.of(r);
      LOG.infof(
          "resuming rebuild %s after its last checkpoint (%d objects scanned)",
          job.id, job.objectsScanned.get());
      launch(job);
      resumed.add(job.id);
    }
    return resumed;
  }

  void startSweeping(@Observes StartupEvent event) {
    sweeper =
        Thread.ofVirtual()
            .name("index-rebuild-sweeper")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      resumeStale();
                    } catch (RuntimeException e) {
                      LOG.warnf("looking for rebuilds to resume failed: %s", e.toString());
                    }
                    try {
                      Thread.sleep(staleAfter);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  void stopSweeping(@Observes ShutdownEvent event) {
    Thread t = sweeper;
    if (t != null) {
      t.interrupt();
    }
  }

  private void launch(Job job) {
    jobs.put(job.id, job);
    Thread.ofVirtual().name("index-rebuild-" + job.id).start(() -> run(job));
  }

  private void run(Job job) {
    try {
      List<InstanceStored> batch = new ArrayList<>(batchSize);
      String prefix = job.tenant == null ? "" : job.tenant + "/";
      String lastKey = null;
      for (ObjectStore.ListedObject item : store.list(prefix, job.resumeAfter)) {
        lastKey = item.key();
        long scanned = job.objectsScanned.incrementAndGet();
        if (item.key().endsWith(".json")) {
          job.sidecars.incrementAndGet();
          InstanceStored event = read(job, item.key());
          if (event != null) {
            batch.add(event);
          }
        }
        if (batch.size() >= batchSize || scanned % CHECKPOINT_OBJECTS == 0) {
          apply(job, batch);
          checkpoint(job, lastKey);
        }
      }
      apply(job, batch);
      job.resumeAfter = lastKey == null ? job.resumeAfter : lastKey;
      job.state = "DONE";
    } catch (ClaimedElsewhere e) {
      job.state = "FAILED";
      job.error = "resumed by another instance";
      LOG.infof("rebuild %s was resumed by another instance; stopping here", job.id);
    } catch (Exception e) {
      job.state = "FAILED";
      job.error = e.getClass().getSimpleName();
      LOG.warnf("rebuild %s failed (%s)", job.id, e.getClass().getName());
      LOG.debug("rebuild failure", e);
    } finally {
      job.finishedAt = Instant.now();
      try {
        sql(
            "update rebuild_job set state = $2, objects_scanned = $3, sidecars = $4, indexed = $5,"
                + " failed = $6, resume_after = $7, error = $8, finished_at = now(),"
                + " checkpoint_at = now() where id = $1 and owner = $9",
            UUID.fromString(job.id),
            job.state,
            job.objectsScanned.get(),
            job.sidecars.get(),
            job.indexed.get(),
            job.failed.get(),
            job.resumeAfter,
            job.error,
            owner);
      } catch (RuntimeException e) {
        // Left RUNNING in the table: resumed from its last checkpoint later, which is harmless.
        LOG.warnf("rebuild %s: final state not recorded (%s)", job.id, e.toString());
      }
      jobs.remove(job.id);
      LOG.infof(
          "rebuild %s %s: %d objects scanned, %d sidecars, %d indexed, %d failed",
          job.id,
          job.state,
          job.objectsScanned.get(),
          job.sidecars.get(),
          job.indexed.get(),
          job.failed.get());
    }
  }

  /** Records the job's progress up to {@code lastKey}, whose objects are all applied. */
  private void checkpoint(Job job, String lastKey) {
    job.resumeAfter = lastKey;
    RowSet<Row> updated =
        sql(
            "update rebuild_job set objects_scanned = $2, sidecars = $3, indexed = $4, failed = $5,"
                + " resume_after = $6, checkpoint_at = now() where id = $1 and owner = $7",
            UUID.fromString(job.id),
            job.objectsScanned.get(),
            job.sidecars.get(),
            job.indexed.get(),
            job.failed.get(),
            lastKey,
            owner);
    if (updated.rowCount() == 0) {
      // Another instance took it over (this one looked dead: no checkpoint for stale-after).
      throw new ClaimedElsewhere();
    }
  }

  private static final class ClaimedElsewhere extends RuntimeException {
    ClaimedElsewhere() {
      super(null, null, false, false);
    }
  }

  private RowSet<Row> sql(String sql, Object... params) {
    return pool.preparedQuery(sql)
        .execute(Tuple.from(params))
        .await()
        .atMost(Duration.ofMinutes(1));
  }

  private InstanceStored read(Job job, String key) throws Exception {
    Optional<ObjectStore.StoredObject> stat = store.stat(key);
    if (stat.isEmpty()) {
      return null; // deleted since it was listed
    }
    byte[] bytes;
    try (InputStream in = store.get(key)) {
      bytes = in.readAllBytes();
    }
    JsonNode json = JSON.readTree(bytes);
    try {
      // The sidecar's bytes are the instance's metadata (ADR 0045), as ingest's event carries it.
      return SidecarEvents.toEvent(store.bucket(), key, stat.get().userMetadata(), json)
          .withCompressedMetadata(MetadataCompression.compressForEvent(bytes));
    } catch (SidecarEvents.NotIndexable e) {
      job.failed.incrementAndGet();
      LOG.debugf("sidecar %s not indexable: %s", key, e.getMessage());
      return null;
    }
  }

  /** One transaction for the batch; if the database refuses it, one per sidecar. */
  private void apply(Job job, List<InstanceStored> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      onVertx.await(() -> indexer.index(List.copyOf(batch)), Duration.ofMinutes(2));
      job.indexed.addAndGet(batch.size());
    } catch (RuntimeException batchFailure) {
      for (InstanceStored event : batch) {
        try {
          onVertx.await(() -> indexer.index(List.of(event)), Duration.ofMinutes(2));
          job.indexed.incrementAndGet();
        } catch (RuntimeException e) {
          job.failed.incrementAndGet();
          LOG.debugf(e, "event %s of a sidecar not indexed", event.eventId());
        }
      }
    }
    batch.clear();
  }
}
