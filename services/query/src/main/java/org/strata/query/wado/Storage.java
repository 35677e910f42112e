package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.strata.storage.ObjectStorage;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageConfig;
import org.strata.storage.StorageException;

/**
 * Read access to the objects the index points to. One {@link ObjectStorage} for {@code
 * strata.s3.*}; one {@link ObjectStore} per bucket named by {@code object_location.bucket} (ingest
 * writes the bucket of every object, so objects moved to another bucket by tiering stay readable).
 *
 * <p>Keys come from the index, which only ingest writes; as a second line of defence a key must lie
 * under the caller's tenant prefix ({@code {tenant}/}, see {@code ObjectKeys}), else it is treated
 * as missing.
 */
@ApplicationScoped
public class Storage {
  private final ObjectStorage storage;

  public Storage(Config config) {
    this.storage =
        ObjectStorage.open(StorageConfig.from(key -> config.getOptionalValue(key, String.class)));
  }

  /** The store of {@code bucket}. */
  public ObjectStore store(String bucket) {
    return storage.store(bucket);
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
      if (e.isMissing()) {
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
}
