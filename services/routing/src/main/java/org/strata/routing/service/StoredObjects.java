package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import org.strata.events.RoutingJob;
import org.strata.storage.ObjectStore;

/** The stored objects routing sends, read through libs/storage. */
@ApplicationScoped
public class StoredObjects {
  private final ObjectStore store;

  StoredObjects(ObjectStore store) {
    this.store = store;
  }

  /** The whole Part 10 object as stored. */
  public InputStream open(RoutingJob.Instance instance) throws IOException {
    if (!instance.bucket().equals(store.bucket())) {
      throw new IOException("object in another bucket than " + store.bucket());
    }
    try {
      return store.get(instance.key());
    } catch (Exception e) {
      // the class only: S3 messages can carry the key (UIDs)
      throw new IOException("stored object not readable: " + e.getClass().getSimpleName(), e);
    }
  }
}
