package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import org.strata.events.RoutingJob;
import org.strata.routing.repository.IndexedLocations;
import org.strata.storage.StorageException;
import org.strata.storage.TieredStorage;

/**
 * The stored objects routing sends, read through libs/storage on whichever tier holds them: first
 * where the job's record says (the location of its InstanceStored event, or of the index for a
 * manual export); when the object is no longer there (storage-tiering moved it since, and deleted
 * the source), where the index says it is now.
 */
@ApplicationScoped
public class StoredObjects {
  private final TieredStorage storage;
  private final IndexedLocations locations;

  StoredObjects(TieredStorage storage, IndexedLocations locations) {
    this.storage = storage;
    this.locations = locations;
  }

  /** The whole Part 10 object as stored. */
  public InputStream open(RoutingJob.Instance instance) throws IOException {
    try {
      return get(instance.bucket(), instance.key());
    } catch (StorageException e) {
      if (!e.isMissing()) {
        throw notReadable(e);
      }
    }
    String tenant = instance.key().substring(0, Math.max(0, instance.key().indexOf('/')));
    IndexedLocations.Location now;
    try {
      now =
          locations
              .of(tenant, instance.sopInstanceUid())
              .orElseThrow(() -> new IOException("stored object missing, and not in the index"));
    } catch (SQLException e) {
      throw new IOException("stored object moved, index not readable: " + e.getSQLState(), e);
    }
    try {
      return get(now.bucket(), now.key());
    } catch (StorageException e) {
      throw notReadable(e);
    }
  }

  private InputStream get(String bucket, String key) throws IOException, StorageException {
    if (storage.tiers().ofBucket(bucket).isEmpty()) {
      throw new IOException("object in a bucket of no storage tier");
    }
    return storage.storeOfBucket(bucket).get(key);
  }

  // the class only: S3 messages can carry the key (UIDs)
  private static IOException notReadable(Exception e) {
    return new IOException("stored object not readable: " + e.getClass().getSimpleName(), e);
  }
}
