package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;
import org.strata.storage.Tier;
import org.strata.storage.TierUnavailableException;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;

/**
 * Read access to the objects the index points to, on every storage tier ({@link Tiers}: {@code
 * strata.s3.*} and {@code strata.s3.tiers.*}). The bucket named by {@code object_location.bucket}
 * picks the tier and so the S3 endpoint (every tier has its own bucket), so an object that
 * storage-tiering moved to another tier, on another server, is read from there as soon as the index
 * says so.
 *
 * <p>Keys come from the index, which only ingest writes; as a second line of defence a key must lie
 * under the caller's tenant prefix ({@code {tenant}/}, see {@code ObjectKeys}), else it is treated
 * as missing.
 */
@ApplicationScoped
public class Storage {
  private final TieredStorage storage;

  public Storage(Config config) {
    this.storage =
        TieredStorage.open(Tiers.from(key -> config.getOptionalValue(key, String.class)));
  }

  /** The store of {@code bucket}, on its tier's endpoint. */
  public ObjectStore store(String bucket) {
    return storage.storeOfBucket(bucket);
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

  /**
   * Before an answer's first byte: for the items on a nearline tier, one read of the first byte of
   * one object per such bucket, so a nearline tier that does not serve now is a refusal the client
   * can act on (503 with Retry-After, a DIMSE failure) rather than an answer cut short. Online
   * tiers are not probed; a missing object is left to the read itself.
   */
  public <T> void requireNearlineReadable(
      String tenant, List<T> items, Function<T, String> bucket, Function<T, String> key)
      throws TierUnavailableException {
    Set<String> probed = new HashSet<>();
    for (T item : items) {
      String b = bucket.apply(item);
      String k = key.apply(item);
      if (!underTenant(tenant, k)
          || probed.contains(b)
          || storage
              .tiers()
              .ofBucket(b)
              .map(t -> t.retrieval() != Tier.Retrieval.NEARLINE)
              .orElse(true)) {
        continue;
      }
      probed.add(b);
      try {
        store(b).probe(k);
      } catch (TierUnavailableException e) {
        throw e;
      } catch (StorageException e) {
        // Not the tier's unavailability: the read itself reports it.
      }
    }
  }

  /** {@link #requireNearlineReadable} for WADO: 503 with Retry-After. */
  public void requireNearlineReadable(String tenant, List<StoredInstance> instances) {
    try {
      requireNearlineReadable(tenant, instances, StoredInstance::bucket, StoredInstance::objectKey);
    } catch (TierUnavailableException e) {
      throw WadoException.unavailable(e);
    }
  }

  /** Also for reads that do not go to S3 (the object cache). */
  static void checkTenant(String tenant, String key) {
    if (!underTenant(tenant, key)) {
      throw WadoException.notFound("the stored object is not available");
    }
  }

  static boolean underTenant(String tenant, String key) {
    return key != null && key.startsWith(tenant + "/") && !key.contains("..");
  }
}
