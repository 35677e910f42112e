package org.strata.query.wado;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where WADO-RS runs the S3 reads it overlaps ({@link Ahead}): one virtual thread per read. The
 * number in flight is bounded per request by {@link Ahead}'s window, not here; a virtual thread
 * blocked on S3 costs a few hundred bytes, not a platform thread.
 */
@ApplicationScoped
public class StorageExecutor {
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wado-s3-", 0).factory());

  ExecutorService executor() {
    return executor;
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }
}
