package org.strata.ingest.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.strata.dicom.net.Association;
import org.strata.dicom.net.AssociationListener;
import org.strata.ingest.messaging.IndexAcknowledgements;

/**
 * Read-your-writes for DIMSE (ADR 0010 amendment): the A-RELEASE-RP of an association waits until
 * the instances it stored are indexed, so a PACS that queries after its release finds them all.
 * Each C-STORE is still answered as soon as it is durable; only the release waits, bounded by
 * {@code strata.ingest.read-your-writes.timeout}, after which the association is released anyway
 * (the instances are durable) and the wait counted with outcome {@code timeout}.
 *
 * <p>Runs on the association's own thread (ADR 0003): holding it holds nothing but that
 * association.
 */
@ApplicationScoped
public class IndexedBeforeRelease implements AssociationListener {
  private static final Logger LOG = Logger.getLogger(IndexedBeforeRelease.class);

  /** Every this many stores, events already indexed are dropped from an association's list. */
  private static final int SETTLE_EVERY = 256;

  private final IndexAcknowledgements indexAcks;
  private final Map<Association, ArrayDeque<String>> stored = new ConcurrentHashMap<>();

  public IndexedBeforeRelease(IndexAcknowledgements indexAcks) {
    this.indexAcks = indexAcks;
  }

  /** The association stored a new instance whose InstanceStored event has this id. */
  void stored(Association association, String storedEventId) {
    if (!indexAcks.enabled()) {
      return;
    }
    // one association is served by one thread: its list is never touched concurrently
    ArrayDeque<String> ids = stored.computeIfAbsent(association, a -> new ArrayDeque<>());
    ids.add(storedEventId);
    if (ids.size() % SETTLE_EVERY == 0) {
      ids.removeIf(indexAcks::settled);
    }
  }

  @Override
  public void beforeReleaseResponse(Association association) {
    ArrayDeque<String> ids = stored.remove(association);
    if (ids == null || ids.isEmpty()) {
      return;
    }
    if (!indexAcks.awaitIndexed(new ArrayList<>(ids), IndexAcknowledgements.Waiter.DIMSE_RELEASE)) {
      LOG.infof(
          "%s: released before the index acknowledged its %d instance(s)", association, ids.size());
    }
  }

  @Override
  public void ended(Association association) {
    // aborted or lost before a release: nobody waits for these any more
    ArrayDeque<String> ids = stored.remove(association);
    if (ids != null) {
      ids.forEach(indexAcks::forget);
    }
  }
}
