package org.strata.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
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
  ObjectStore objectStore(S3Config config) {
    return ObjectStore.connect(
        config.endpoint(), config.accessKey(), config.secretKey(), config.bucket());
  }
}
