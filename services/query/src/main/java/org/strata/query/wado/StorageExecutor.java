package org.strata.query.wado;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where WADO-RS runs the S3 reads it overlaps ({@link Ahead}): up to 64 platform threads (idle ones
 * end after a minute), further reads queued. The number in flight per request is bounded by {@link
 * Ahead}'s window. Platform rather than virtual threads: the service must run on JDK 21, where a
 * virtual thread blocked inside a {@code synchronized} block of the HTTP client pins its carrier,
 * and the carriers are as few as the cores.
 */
@ApplicationScoped
public class StorageExecutor {
  private static final int THREADS = 64;
  private final ExecutorService executor = pool();

  /** One thread for best-effort background reads; at most 4 jobs wait, further ones are dropped. */
  private final ThreadPoolExecutor prefetcher =
      new ThreadPoolExecutor(
          1,
          1,
          1,
          TimeUnit.MINUTES,
          new java.util.concurrent.ArrayBlockingQueue<>(4),
          Thread.ofPlatform().name("wado-prefetch-", 0).daemon(true).factory(),
          new ThreadPoolExecutor.DiscardPolicy());

  /**
   * The threads of the object read-ahead's reader loops (ADR 0070, 0075): at most {@link
   * ObjectReadAhead#READERS} loops run, each taking one object at a time from the read-ahead's own
   * bounded queue ({@link ObjectReads}), so this pool's queue holds a few loops at most.
   */
  private final ThreadPoolExecutor objectReader =
      new ThreadPoolExecutor(
          ObjectReadAhead.READERS,
          ObjectReadAhead.READERS,
          1,
          TimeUnit.MINUTES,
          new java.util.concurrent.ArrayBlockingQueue<>(2 * ObjectReadAhead.READERS),
          Thread.ofPlatform().name("wado-read-ahead-", 0).daemon(true).factory(),
          new ThreadPoolExecutor.AbortPolicy()); // ObjectReads counts a refused loop out

  {
    prefetcher.allowCoreThreadTimeOut(true);
    objectReader.allowCoreThreadTimeOut(true);
  }

  private static ExecutorService pool() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("wado-s3-", 0).daemon(true).factory());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  ExecutorService executor() {
    return executor;
  }

  ThreadPoolExecutor prefetcher() {
    return prefetcher;
  }

  ThreadPoolExecutor objectReader() {
    return objectReader;
  }

  @PreDestroy
  void stop() {
    objectReader.shutdownNow();
    executor.shutdownNow();
    prefetcher.shutdownNow();
  }
}
