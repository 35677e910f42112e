package org.strata.index.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.index.config.IndexConfig;
import org.strata.storage.ObjectStore;

/**
 * Rebuilds the index of a tenant (or of all) from the metadata sidecars in S3 (ADR 0007): lists the
 * tenant's prefix, turns each {@code .json} sidecar and its user metadata back into the
 * InstanceStored that indexed it, and applies those in batches through the same idempotent {@link
 * InstanceIndexer} as the consumer. Running it over a live index changes nothing; over an emptied
 * one it restores the rows. Follow-up events are not published: a rebuild announces nothing new.
 */
@ApplicationScoped
public class RebuildService {
  private static final Logger LOG = Logger.getLogger(RebuildService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MinioClient minio;
  private final ObjectStore store;
  private final InstanceIndexer indexer;
  private final OnVertx onVertx;
  private final int batchSize;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  public RebuildService(
      MinioClient minio,
      ObjectStore store,
      InstanceIndexer indexer,
      OnVertx onVertx,
      IndexConfig config) {
    this.minio = minio;
    this.store = store;
    this.indexer = indexer;
    this.onVertx = onVertx;
    this.batchSize = config.rebuild().batchSize();
  }

  /** A rebuild's progress; counters move while it runs. */
  public static final class Job {
    public final String id;
    public final String tenant;
    public final Instant startedAt = Instant.now();
    public volatile Instant finishedAt;
    public volatile String state = "RUNNING";
    public volatile String error;
    public final AtomicLong objectsScanned = new AtomicLong();
    public final AtomicLong sidecars = new AtomicLong();
    public final AtomicLong indexed = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();

    Job(String id, String tenant) {
      this.id = id;
      this.tenant = tenant;
    }
  }

  /** Starts a rebuild of {@code tenant} (null: every tenant) in the background. */
  public Job start(String tenant) {
    Job job = new Job(UUID.randomUUID().toString(), tenant);
    jobs.put(job.id, job);
    Thread.ofVirtual().name("index-rebuild-" + job.id).start(() -> run(job));
    return job;
  }

  public Optional<Job> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  private void run(Job job) {
    try {
      List<InstanceStored> batch = new ArrayList<>(batchSize);
      for (Result<Item> result :
          minio.listObjects(
              ListObjectsArgs.builder()
                  .bucket(store.bucket())
                  .prefix(job.tenant == null ? "" : job.tenant + "/")
                  .recursive(true)
                  .build())) {
        Item item = result.get();
        job.objectsScanned.incrementAndGet();
        if (item.isDir() || !item.objectName().endsWith(".json")) {
          continue;
        }
        job.sidecars.incrementAndGet();
        InstanceStored event = read(job, item.objectName());
        if (event == null) {
          continue;
        }
        batch.add(event);
        if (batch.size() >= batchSize) {
          apply(job, batch);
        }
      }
      apply(job, batch);
      job.state = "DONE";
    } catch (Exception e) {
      job.state = "FAILED";
      job.error = e.getClass().getSimpleName();
      LOG.warnf("rebuild %s failed (%s)", job.id, e.getClass().getName());
      LOG.debug("rebuild failure", e);
    } finally {
      job.finishedAt = Instant.now();
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

  private InstanceStored read(Job job, String key) throws Exception {
    Optional<ObjectStore.StoredObject> stat = store.stat(key);
    if (stat.isEmpty()) {
      return null; // deleted since it was listed
    }
    JsonNode json;
    try (InputStream in = store.get(key)) {
      json = JSON.readTree(in);
    }
    try {
      return SidecarEvents.toEvent(store.bucket(), key, stat.get().userMetadata(), json);
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
