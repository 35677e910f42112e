package org.strata.query.wado;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.strata.query.config.QueryConfig;
import org.strata.storage.StorageException;

/**
 * Viewers ask for a series' metadata, then for its frames, one request per image (ADR 0070): once a
 * metadata answer is out, the objects it named are read into the {@link ObjectCache} in the
 * background, in the answer's order, four at a time, so the frames come from local disk instead of
 * one S3 GET each on the viewer's critical path. Bounded: objects the cache keeps (up to {@code
 * read-ahead-size}), at most {@code object-read-ahead} bytes per metadata answer, four reader loops
 * whose queue drops objects beyond 1,024 waiting; 0 turns it off.
 *
 * <p>A request that needs a whole object goes through {@link #read} (ADR 0075): it waits for the
 * read-ahead's read of that object if one is under way, reads a queued one at once (out of the
 * queue), and while it reads the read-ahead starts one read at a time, not four. Where each
 * request's object came from, and how long it waited for it, is the timer {@code
 * strata.query.wado.object.wait} by {@code source}.
 */
@ApplicationScoped
public class ObjectReadAhead {
  private static final Logger LOG = Logger.getLogger(ObjectReadAhead.class);
  static final int QUEUE = 1024;
  static final int READERS = 4;
  static final int READERS_WHILE_REQUESTS = 1;

  /** How long a request waits for the read-ahead's read of its object before reading it itself. */
  private static final long WAIT_SECONDS = 60;

  private final Storage storage;
  private final ObjectCache cache;
  private final ObjectReads<Job> reads;
  private final long budget;
  private final long wholeObjectLimit;
  private final Map<ObjectReads.Source, Timer> waits = new EnumMap<>(ObjectReads.Source.class);

  /** One object to read ahead. */
  record Job(String tenant, StoredInstance instance) {}

  @Inject
  public ObjectReadAhead(
      Storage storage,
      ObjectCache cache,
      StorageExecutor executor,
      QueryConfig config,
      MeterRegistry meters) {
    this.storage = storage;
    this.cache = cache;
    this.reads =
        new ObjectReads<>(
            QUEUE, READERS, READERS_WHILE_REQUESTS, executor.objectReader(), this::run);
    this.budget = config.wado().objectReadAhead().asLongValue();
    this.wholeObjectLimit = config.wado().readAheadSize().asLongValue();
    for (ObjectReads.Source s : ObjectReads.Source.values()) {
      waits.put(
          s,
          Timer.builder("strata.query.wado.object.wait")
              .description(
                  "Time a frame or bulk data request waited for its whole object to be in the"
                      + " object cache, by where it came from")
              .tag("source", s.tag())
              .register(meters));
    }
  }

  /** Reads the objects of {@code instances} not cached yet into the cache, in the background. */
  void prefetch(String tenant, List<StoredInstance> instances) {
    LinkedHashMap<String, Job> jobs = new LinkedHashMap<>();
    long bytes = 0;
    for (StoredInstance i : instances) {
      if (!cache.accepts(i) || i.size() > wholeObjectLimit || cache.contains(i)) {
        continue;
      }
      if (bytes + i.size() > budget) {
        break;
      }
      bytes += i.size();
      jobs.put(ObjectCache.key(i), new Job(tenant, i));
    }
    reads.offer(jobs); // what does not fit the queue is dropped: best effort
  }

  /**
   * Puts {@code i}'s whole (small, cacheable) object into the cache for a request that needs it
   * now: nothing when it is there, else waits for the read-ahead's read under way or reads it
   * itself, ahead of the read-ahead's queue. A short or long object is not kept.
   */
  void read(String tenant, StoredInstance i) throws IOException, StorageException {
    long start = System.nanoTime();
    if (cache.contains(i)) {
      waits.get(ObjectReads.Source.CACHE).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return;
    }
    ObjectReads.Source source;
    try (ObjectReads<Job>.Claim claim = reads.claim(ObjectCache.key(i))) {
      source = claim.source();
      boolean readItself = claim.own();
      if (!readItself) {
        try {
          // read here when the read waited for did not end in time or failed
          readItself = !claim.await(WAIT_SECONDS) || !cache.contains(i);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted waiting for the object");
        }
      }
      if (readItself && !cache.contains(i)) {
        readIntoCache(tenant, i);
      }
    }
    waits.get(source).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  /** Whether {@code i}'s object waits in the read-ahead's queue (for tests). */
  boolean queued(StoredInstance i) {
    return reads.isQueued(ObjectCache.key(i));
  }

  private void readIntoCache(String tenant, StoredInstance i) throws StorageException, IOException {
    try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey())) {
      cache.keep(i, in);
    }
  }

  /** A read-ahead reader's job: best effort. */
  private void run(Job job) {
    StoredInstance i = job.instance();
    try {
      if (cache.contains(i)) {
        return; // a request read it meanwhile
      }
      Storage.checkTenant(job.tenant(), i.objectKey());
      readIntoCache(job.tenant(), i);
    } catch (Exception e) {
      // best effort: a frame asked for later reads its object itself
      LOG.debugf("object read-ahead of tenant %s failed: %s", job.tenant(), e.getClass());
    }
  }
}
