package org.strata.index.config;

import io.minio.MinioClient;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.strata.storage.ObjectStore;

/**
 * Object storage from {@code strata.s3.*} (the keys the embedded platform publishes), read only by
 * the rebuild. Nothing connects before a rebuild runs: the service needs no S3 to index.
 */
@ApplicationScoped
public class StorageProducer {

  @ConfigMapping(prefix = "strata.s3")
  public interface S3Config {
    @WithDefault("http://127.0.0.1:19000")
    String endpoint();

    @WithDefault("strata")
    String accessKey();

    @WithDefault("strata-secret")
    String secretKey();

    @WithDefault("strata-objects")
    String bucket();
  }

  @Produces
  @ApplicationScoped
  MinioClient minio(S3Config config) {
    return MinioClient.builder()
        .endpoint(config.endpoint())
        .credentials(config.accessKey(), config.secretKey())
        .region("us-east-1")
        .build();
  }

  @Produces
  @ApplicationScoped
  ObjectStore objectStore(MinioClient minio, S3Config config) {
    return new ObjectStore(minio, config.bucket(), 8 * 1024 * 1024, 16L * 1024 * 1024);
  }
}
