package org.strata.routing.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.strata.storage.ObjectStorage;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageConfig;

/**
 * Object storage from {@code strata.s3.*} (the keys the embedded platform publishes): routing reads
 * the stored objects it sends, nothing else.
 */
@ApplicationScoped
public class StorageProducer {

  @Produces
  @ApplicationScoped
  ObjectStore objectStore(Config config) {
    return ObjectStorage.open(StorageConfig.from(key -> config.getOptionalValue(key, String.class)))
        .store();
  }
}
