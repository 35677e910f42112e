package org.strata.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Object storage across tiers: one {@link ObjectStorage} (one MinIO client and connection pool) per
 * S3 endpoint and credentials, one {@link ObjectStore} per tier. Still the only door: a service
 * that reads or writes more than one tier opens them here.
 */
public final class TieredStorage {
  private final Tiers tiers;
  private final Map<String, ObjectStorage> byEndpoint = new ConcurrentHashMap<>();

  private TieredStorage(Tiers tiers) {
    this.tiers = tiers;
  }

  /** Clients for every tier of {@code tiers}; nothing is sent before the first request. */
  public static TieredStorage open(Tiers tiers) {
    return new TieredStorage(tiers);
  }

  public Tiers tiers() {
    return tiers;
  }

  /** The store of a configured tier. */
  public ObjectStore store(Tier tier) {
    return storage(tier.storage()).store(tier.bucket());
  }

  /**
   * The store of {@code bucket}: on its tier's endpoint when a tier has that bucket, else on the
   * first tier's endpoint (a bucket outside the tier configuration, as before tiers existed).
   */
  public ObjectStore storeOfBucket(String bucket) {
    Tier tier = tiers.ofBucket(bucket).orElse(tiers.first());
    return storage(tier.storage()).store(bucket);
  }

  /** The first tier's storage (where ingest writes). */
  public ObjectStorage first() {
    return storage(tiers.first().storage());
  }

  private ObjectStorage storage(StorageConfig config) {
    return byEndpoint.computeIfAbsent(
        config.endpoint() + " " + config.accessKey(), k -> ObjectStorage.open(config));
  }
}
