package org.strata.tiering.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;

/** Every storage tier from {@code strata.s3.*} and {@code strata.s3.tiers.*} (libs/storage). */
@ApplicationScoped
public class StorageProducer {

  @Produces
  @ApplicationScoped
  TieredStorage tieredStorage(Config config) {
    return TieredStorage.open(Tiers.from(key -> config.getOptionalValue(key, String.class)));
  }
}
