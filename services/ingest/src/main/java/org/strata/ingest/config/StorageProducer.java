package org.strata.ingest.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.strata.storage.ObjectStorage;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageConfig;

/** Object storage from {@code strata.s3.*}: the same keys the embedded platform publishes. */
@ApplicationScoped
public class StorageProducer {

  @Produces
  @ApplicationScoped
  ObjectStore objectStore(Config config, MeterRegistry metrics) {
    ObjectStore store =
        ObjectStorage.open(StorageConfig.from(key -> config.getOptionalValue(key, String.class)))
            .store();
    // S3 requests are what the object store's CPU pays for: counted so a benchmark can report
    // requests per instance (targets.md). The counter holds the store weakly: the bean keeps it.
    for (String method : List.of("PUT", "GET", "HEAD", "POST", "DELETE")) {
      FunctionCounter.builder(
              "strata.storage.requests", store, s -> s.requestCounts().getOrDefault(method, 0L))
          .tag("method", method)
          .description("HTTP requests sent to object storage")
          .register(metrics);
    }
    for (String direction : List.of("sent", "received")) {
      FunctionCounter.builder(
              "strata.storage.body", store, s -> s.bodyBytes().getOrDefault(direction, 0L))
          .tag("direction", direction)
          .baseUnit("bytes")
          .description("Body bytes sent to and received from object storage (Content-Length)")
          .register(metrics);
    }
    return store;
  }
}
