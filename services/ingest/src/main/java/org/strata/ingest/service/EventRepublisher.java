package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.messaging.InstanceStoredPublisher;
import org.strata.ingest.messaging.InstanceStoredPublisher.PublishException;
import org.strata.ingest.service.HeaderReader.RejectedException;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * Publishes the InstanceStored event of an object that is in the bucket without one (an ingest
 * process died between the PUT and the Kafka acknowledgement; ADR 0011): read back, parsed and
 * hashed as on arrival, with the event id and source recorded in the object's metadata, so the
 * event is the one the original request would have published.
 */
@ApplicationScoped
public class EventRepublisher {
  private static final Logger LOG = Logger.getLogger(EventRepublisher.class);

  private final ObjectStore store;
  private final InstanceStoredPublisher publisher;
  private final InstanceStoredFactory events;
  private final IngestConfig config;

  public EventRepublisher(
      ObjectStore store,
      InstanceStoredPublisher publisher,
      InstanceStoredFactory events,
      IngestConfig config) {
    this.store = store;
    this.publisher = publisher;
    this.events = events;
    this.config = config;
  }

  /**
   * Publishes the event of the object at {@code key}.
   *
   * @return false when the object carries no Strata metadata (not ours: left alone)
   */
  public boolean republish(String key) throws IOException, StorageException, PublishException {
    Map<String, String> meta =
        store.stat(key).orElseThrow(() -> new IOException("object vanished")).userMetadata();
    Optional<IngestSource> source = ObjectMetadata.source(meta);
    String eventId = meta.get(ObjectMetadata.EVENT_ID);
    if (source.isEmpty() || eventId == null) {
      return false;
    }
    MessageDigest sha256 = Sha256.newDigest();
    ParsedHeader header;
    long size;
    try (InputStream in = new DigestInputStream(store.get(key), sha256)) {
      try {
        header = HeaderReader.read(in, config.maxHeaderSize(), true);
      } catch (RejectedException e) {
        throw new IOException("stored object does not parse: " + e.getMessage(), e);
      }
      size = header.headerBytes().length + in.transferTo(OutputStream.nullOutputStream());
    }
    InstanceStored event =
        events.event(
            header,
            source.get(),
            eventId,
            key,
            size,
            HexFormat.of().formatHex(sha256.digest()),
            ObjectMetadata.version(key));
    publisher.publish(event);
    LOG.debugf("republished the event of %s", key);
    return true;
  }
}
