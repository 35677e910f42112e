package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import org.strata.query.config.QueryConfig;

/**
 * Viewers ask for a series' metadata, then for its frames, one request per image (ADR 0070): once a
 * metadata answer is out, the objects it named are read into the {@link ObjectCache} in the
 * background, in the answer's order, so the frames come from local disk instead of one S3 GET each
 * on the viewer's critical path. Bounded: objects the cache keeps (up to {@code read-ahead-size}),
 * at most {@code object-read-ahead} bytes per metadata answer, on the one best-effort prefetch
 * thread whose queue drops work beyond a few answers; 0 turns it off.
 */
@ApplicationScoped
public class ObjectReadAhead {
  private static final Logger LOG = Logger.getLogger(ObjectReadAhead.class);

  private final Storage storage;
  private final ObjectCache cache;
  private final Executor prefetcher;
  private final long budget;
  private final long wholeObjectLimit;

  public ObjectReadAhead(
      Storage storage, ObjectCache cache, StorageExecutor executor, QueryConfig config) {
    this.storage = storage;
    this.cache = cache;
    this.prefetcher = executor.prefetcher();
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
    if (todo.isEmpty()) {
      return;
    }
    prefetcher.execute(
        () -> {
          for (StoredInstance i : todo) {
            if (cache.contains(i)) {
              continue; // a frame request read it meanwhile
            }
            try {
              Storage.checkTenant(tenant, i.objectKey());
              try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey())) {
                cache.keep(i, in.readNBytes((int) Math.min(i.size() + 1, wholeObjectLimit + 1)));
              }
            } catch (Exception e) {
              // best effort: a frame asked for later reads its object itself
              LOG.debugf("object read-ahead of tenant %s failed: %s", tenant, e.getClass());
            }
          }
        });
  }
}
