package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;
import org.strata.query.config.QueryConfig;

/**
 * Viewers ask for a series' metadata, then for its frames, one request per image (ADR 0070): once a
 * metadata answer is out, the objects it named are read into the {@link ObjectCache} in the
 * background, in the answer's order, four at a time, so the frames come from local disk instead of
 * one S3 GET each on the viewer's critical path. Bounded: objects the cache keeps (up to {@code
 * read-ahead-size}), at most {@code object-read-ahead} bytes per metadata answer, on four
 * best-effort threads whose queue drops objects beyond 1,024 waiting; an object already being read
 * is not read twice; 0 turns it off.
 */
@ApplicationScoped
public class ObjectReadAhead {
  private static final Logger LOG = Logger.getLogger(ObjectReadAhead.class);

  private final Storage storage;
  private final ObjectCache cache;
  private final Executor readers;
  private final Set<String> reading = ConcurrentHashMap.newKeySet();
  private final long budget;
  private final long wholeObjectLimit;

  public ObjectReadAhead(
      Storage storage, ObjectCache cache, StorageExecutor executor, QueryConfig config) {
    this.storage = storage;
    this.cache = cache;
    this.readers = executor.objectReader();
    this.budget = config.wado().objectReadAhead().asLongValue();
    this.wholeObjectLimit = config.wado().readAheadSize().asLongValue();
  }

  /** Reads the objects of {@code instances} not cached yet into the cache, in the background. */
  void prefetch(String tenant, List<StoredInstance> instances) {
    List<StoredInstance> todo = new ArrayList<>();
    long bytes = 0;
    for (StoredInstance i : instances) {
      if (!cache.accepts(i) || i.size() > wholeObjectLimit || cache.contains(i)) {
        continue;
      }
      if (bytes + i.size() > budget) {
        break;
      }
      bytes += i.size();
      todo.add(i);
    }
    for (StoredInstance i : todo) {
      String key = ObjectCache.key(i);
      if (reading.add(key)) {
        try {
          readers.execute(() -> read(tenant, i, key));
        } catch (RejectedExecutionException e) {
          reading.remove(key); // the queue is full: dropped, best effort
          return;
        }
      }
    }
  }

  private void read(String tenant, StoredInstance i, String key) {
    try {
      if (cache.contains(i)) {
        return; // a frame request read it meanwhile
      }
      Storage.checkTenant(tenant, i.objectKey());
      try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey())) {
        cache.keep(i, in.readNBytes((int) Math.min(i.size() + 1, wholeObjectLimit + 1)));
      }
    } catch (Exception e) {
      // best effort: a frame asked for later reads its object itself
      LOG.debugf("object read-ahead of tenant %s failed: %s", tenant, e.getClass());
    } finally {
      reading.remove(key);
    }
  }
}
