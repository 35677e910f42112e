package org.strata.routing.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.strata.storage.ObjectStore;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;

/**
 * Object storage on every tier ({@code strata.s3.*} and {@code strata.s3.tiers.*}, the keys the
 * embedded platform publishes): routing reads the stored objects it sends wherever storage-tiering
 * has put them, nothing else.
 */
@ApplicationScoped
public class StorageProducer {

  @Produces
  @ApplicationScoped
  TieredStorage tieredStorage(Config config) {
    return TieredStorage.open(Tiers.from(key -> config.getOptionalValue(key, String.class)));
  }

  /** The first tier, where ingest writes. */
  @Produces
  @ApplicationScoped
  ObjectStore objectStore(TieredStorage storage) {
    return storage.store(storage.tiers().first());
  }
}
