package org.strata.storage;

import java.util.Optional;
import java.util.function.Function;

/**
 * Where object storage is and how to sign in: the {@code strata.s3.*} configuration keys every
 * service reads (and the embedded platform publishes), read in one place.
 *
 * @param bucket the bucket new objects go to and the default of {@link ObjectStorage#store()}
 */
public record StorageConfig(String endpoint, String accessKey, String secretKey, String bucket) {
  public static final String ENDPOINT = "strata.s3.endpoint";
  public static final String ACCESS_KEY = "strata.s3.access-key";
  public static final String SECRET_KEY = "strata.s3.secret-key";
  public static final String BUCKET = "strata.s3.bucket";
  public static final String DEFAULT_BUCKET = "strata-objects";

  public StorageConfig {
    require(endpoint, ENDPOINT);
    require(accessKey, ACCESS_KEY);
    require(secretKey, SECRET_KEY);
    require(bucket, BUCKET);
  }

  /**
   * The settings under the keys above, from any configuration source (MicroProfile Config in the
   * services, the platform's addresses in tests); the bucket defaults to {@value #DEFAULT_BUCKET}.
   *
   * @throws IllegalArgumentException naming the first missing key
   */
  public static StorageConfig from(Function<String, Optional<String>> config) {
    return new StorageConfig(
        config.apply(ENDPOINT).orElse(null),
        config.apply(ACCESS_KEY).orElse(null),
        config.apply(SECRET_KEY).orElse(null),
        config.apply(BUCKET).orElse(DEFAULT_BUCKET));
  }

  /** The same server and credentials, another default bucket. */
  public StorageConfig withBucket(String otherBucket) {
    return new StorageConfig(endpoint, accessKey, secretKey, otherBucket);
  }

  private static void require(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("object storage: " + key + " is not set");
    }
  }

  @Override
  public String toString() {
    // never the secret key
    return "StorageConfig[endpoint=" + endpoint + ", bucket=" + bucket + "]";
  }
}
