package org.strata.ingest.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import org.strata.storage.ObjectStore;

/** Object storage from {@code strata.s3.*}: the same keys the embedded platform publishes. */
@ApplicationScoped
public class StorageProducer {

  @ConfigMapping(prefix = "strata.s3")
  public interface S3Config {
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("strata-objects")
    String bucket();
  }

  @Produces
  @ApplicationScoped
  ObjectStore objectStore(S3Config config, MeterRegistry metrics) {
    ObjectStore store =
        ObjectStore.connect(
            config.endpoint(), config.accessKey(), config.secretKey(), config.bucket());
    // S3 requests are what the object store's CPU pays for: counted so a benchmark can report
    // requests per instance (targets.md).
    for (String method : List.of("PUT", "GET", "HEAD", "POST", "DELETE")) {
      FunctionCounter.builder(
              "strata.storage.requests", store, s -> s.requestCounts().getOrDefault(method, 0L))
          .tag("method", method)
          .description("HTTP requests sent to object storage")
          .register(metrics);
    }
    return store;
  }
}
