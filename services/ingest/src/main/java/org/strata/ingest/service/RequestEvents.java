package org.strata.ingest.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The InstanceStored events of one request's stores (ADR 0066). One by one (C-STORE: each instance
 * has its own answer) every event is published as soon as its object is stored. Together (STOW-RS:
 * one answer for the request) the events are held back and published in one go, one Kafka round
 * trip for the request rather than one per instance:
 *
 * <ul>
 *   <li>when every part of the request is stored ({@link #publishPending()} from the request),
 *   <li>when {@link #MAX_TOGETHER} are pending (memory and held keys stay bounded),
 *   <li>as soon as another store waits for the object key of one of them (a duplicate sent at the
 *       same time), so that no store waits for a request that may itself be waiting.
 * </ul>
 *
 * <p>Nothing is acknowledged earlier for it: each instance's result completes only once its own
 * event is acknowledged, or failed and its object removed again.
 */
public final class RequestEvents {
  /** Events of one request published together at most: ~10 KB each for a CT, a few MB at worst. */
  static final int MAX_TOGETHER = 64;

  private final PublishOrUndo publisher;
  private final boolean together;
  private final List<PublishOrUndo.Pending> pending = new ArrayList<>();

  private RequestEvents(PublishOrUndo publisher, boolean together) {
    this.publisher = publisher;
    this.together = together;
  }

  static RequestEvents oneByOne(PublishOrUndo publisher) {
    return new RequestEvents(publisher, false);
  }

  static RequestEvents together(PublishOrUndo publisher) {
    return new RequestEvents(publisher, true);
  }

  /** Takes the event of a stored object; the result completes once it is published or undone. */
  CompletableFuture<StoreResult> add(PublishOrUndo.Pending p) {
    if (!together) {
      return CompletableFuture.completedFuture(publisher.publishNow(p));
    }
    boolean full;
    synchronized (this) {
      pending.add(p);
      full = pending.size() >= MAX_TOGETHER;
    }
    boolean awaited = p.heldBackUntil(this::publishPending);
    if (full || awaited) {
      publishPending();
    }
    return p.result;
  }

  /** Publishes the events held back now, and waits for their acknowledgements. */
  public void publishPending() {
    List<PublishOrUndo.Pending> batch;
    synchronized (this) {
      batch = take();
    }
    if (!batch.isEmpty()) {
      publisher.publishAll(batch);
    }
  }

  private List<PublishOrUndo.Pending> take() {
    List<PublishOrUndo.Pending> batch = new ArrayList<>(pending);
    pending.clear();
    return batch;
  }
}
