package org.strata.storage;

import java.time.Duration;
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
  private final Map<String, ObjectStore> nearline = new ConcurrentHashMap<>();

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

  /**
   * The store of a configured tier. A nearline tier's requests wait at most its retrieval delay
   * (and the usual 5 minutes), and its failed reads are {@link TierUnavailableException}: not
   * available now, ask again after the delay.
   */
  public ObjectStore store(Tier tier) {
    return store(tier, tier.bucket());
  }

  /**
   * The store of {@code bucket}: on its tier's endpoint when a tier has that bucket, else on the
   * first tier's endpoint (a bucket outside the tier configuration, as before tiers existed).
   */
  public ObjectStore storeOfBucket(String bucket) {
    return store(tiers.ofBucket(bucket).orElse(tiers.first()), bucket);
  }

  /** The first tier's storage (where ingest writes). */
  public ObjectStorage first() {
    return storage(tiers.first());
  }

  private ObjectStore store(Tier tier, String bucket) {
    ObjectStore store = storage(tier).store(bucket);
    return tier.retrieval() == Tier.Retrieval.NEARLINE && tier.bucket().equals(bucket)
        ? nearline.computeIfAbsent(bucket, b -> store.onNearline(tier))
        : store;
  }

  private ObjectStorage storage(Tier tier) {
    StorageConfig config = tier.storage();
    Duration timeout =
        tier.retrieval() == Tier.Retrieval.NEARLINE
                && tier.retrievalDelay().compareTo(ObjectStorage.DEFAULT_TIMEOUT) < 0
            ? tier.retrievalDelay()
            : ObjectStorage.DEFAULT_TIMEOUT;
    return byEndpoint.computeIfAbsent(
        config.endpoint() + " " + config.accessKey() + " " + timeout,
        k -> ObjectStorage.open(config, timeout));
  }
}
