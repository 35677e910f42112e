package org.strata.query.wado;

import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * Read access to the objects the index points to. One MinIO client for {@code strata.s3.*}; one
 * {@link ObjectStore} per bucket named by {@code object_location.bucket} (ingest writes the bucket
 * of every object, so objects moved to another bucket by tiering stay readable).
 *
 * <p>Keys come from the index, which only ingest writes; as a second line of defence a key must lie
 * under the caller's tenant prefix ({@code {tenant}/}, see {@code ObjectKeys}), else it is treated
 * as missing.
 */
@ApplicationScoped
public class Storage {

  /** {@code strata.s3.*}: the keys the embedded platform publishes (as ingest reads them). */
  @ConfigMapping(prefix = "strata.s3")
  public interface S3Config {
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("strata-objects")
    String bucket();
  }

  private final MinioClient client;
  private final Map<String, ObjectStore> stores = new ConcurrentHashMap<>();

  public Storage(S3Config config) {
    this.client =
        MinioClient.builder()
            .endpoint(config.endpoint())
            .credentials(config.accessKey(), config.secretKey())
            .region("us-east-1")
            .build();
  }

  /** The store of {@code bucket}. */
  public ObjectStore store(String bucket) {
    return stores.computeIfAbsent(
        bucket, b -> new ObjectStore(client, b, 8 * 1024 * 1024, 16L * 1024 * 1024));
  }

  /** The whole object, streamed; 404-style failure if it is missing or outside the tenant. */
  public InputStream open(String tenant, String bucket, String key) throws StorageException {
    checkTenant(tenant, key);
    return store(bucket).get(key);
  }

  /** The object, or empty when there is none under {@code key} (or {@code key} is null). */
  public Optional<InputStream> openIfExists(String tenant, String bucket, String key)
      throws StorageException {
    if (key == null || key.isBlank() || !underTenant(tenant, key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(store(bucket).get(key));
    } catch (StorageException e) {
      if (isMissing(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Bytes {@code offset} to {@code offset + length - 1} of an object. */
  public InputStream range(String tenant, String bucket, String key, long offset, long length)
      throws StorageException {
    checkTenant(tenant, key);
    return store(bucket).getRange(key, offset, length);
  }

  private static void checkTenant(String tenant, String key) {
    if (!underTenant(tenant, key)) {
      throw WadoException.notFound("the stored object is not available");
    }
  }

  static boolean underTenant(String tenant, String key) {
    return key != null && key.startsWith(tenant + "/") && !key.contains("..");
  }

  /**
   * What went wrong, for logs: the S3 error code or the failure's class, never the message (it can
   * carry the object key, i.e. UIDs).
   */
  static String describe(Exception e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ErrorResponseException r) {
      return "S3 " + r.errorResponse().code();
    }
    return cause.getClass().getSimpleName();
  }

  /** True if S3 answered that there is no such object. */
  static boolean isMissing(StorageException e) {
    return e.getCause() instanceof ErrorResponseException r
        && ("NoSuchKey".equals(r.errorResponse().code())
            || "NoSuchObject".equals(r.errorResponse().code()));
  }
}
