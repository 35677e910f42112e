package org.strata.dicom.net;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.dicom.net.pdu.PresentationContextRQ;
import org.strata.dicom.net.pdu.RoleSelection;

/**
 * Reuse of idle SCU associations (e.g. routing many instances to the same PACS one by one): an
 * association is handed out again only to a caller asking for the same peer, AE titles and
 * proposal, only while it is established, and only if the peer sent nothing while it was idle (a
 * release request or abort found then discards it). Idle associations are released after {@code
 * maxIdle}, checked whenever the pool is used (no timer thread); keep it below the peers' idle
 * timeouts (ours: 120 s by default), so that the peer rarely ends one first.
 *
 * <p>Safe because an association carries no state between operations (window 1, no outstanding
 * response). What a pool cannot know: a peer that dropped the TCP connection silently; the first
 * operation on such an association fails with an {@link IOException}, and the caller retries on a
 * new one (a C-STORE is idempotent per SOP instance).
 */
public final class DicomClientPool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(DicomClientPool.class);

  private record Key(
      String host,
      int port,
      String callingAE,
      String calledAE,
      List<PresentationContextRQ> contexts,
      List<RoleSelection> roles) {}

  private record Idle(DicomClient client, Key key, long since) {}

  private final DicomClient.Options options;
  private final long maxIdleNanos;
  private final int maxIdlePerKey;
  private final Map<Key, Deque<Idle>> idle = new HashMap<>();
  private final Map<DicomClient, Key> keys = new java.util.IdentityHashMap<>();
  private boolean closed;

  public DicomClientPool(DicomClient.Options options, Duration maxIdle, int maxIdlePerKey) {
    this.options = options;
    this.maxIdleNanos = maxIdle.toNanos();
    this.maxIdlePerKey = maxIdlePerKey;
  }

  /** An idle association to this peer with this proposal, or a new one. */
  public DicomClient acquire(
      String host, int port, String callingAE, String calledAE, DicomClient.Proposal proposal)
      throws IOException {
    Key key =
        new Key(host, port, callingAE, calledAE, proposal.contexts(), proposal.roleSelections());
    List<DicomClient> expired = new ArrayList<>();
    DicomClient reused = null;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("pool closed");
      }
      collectExpired(expired);
      Deque<Idle> q = idle.get(key);
      while (reused == null && q != null && !q.isEmpty()) {
        DicomClient c = q.pollLast().client();
        if (stillUsable(c)) {
          reused = c;
        }
      }
    }
    releaseAll(expired);
    if (reused != null) {
      LOG.debug("{}: reused", reused.association());
      return reused;
    }
    DicomClient c = DicomClient.connect(host, port, callingAE, calledAE, proposal, options);
    synchronized (this) {
      keys.put(c, key);
    }
    return c;
  }

  /**
   * Gives an association back: kept for reuse if it is still established (and the pool has room),
   * else closed.
   */
  public void release(DicomClient client) {
    List<DicomClient> toClose = new ArrayList<>();
    synchronized (this) {
      Key key = keys.get(client);
      if (key == null || closed || !client.association().isEstablished()) {
        keys.remove(client);
        toClose.add(client);
      } else {
        Deque<Idle> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        q.addLast(new Idle(client, key, System.nanoTime()));
        while (q.size() > maxIdlePerKey) {
          DicomClient oldest = q.pollFirst().client();
          keys.remove(oldest);
          toClose.add(oldest);
        }
      }
      collectExpired(toClose);
    }
    releaseAll(toClose);
  }

  /** Number of idle associations (all peers). */
  public synchronized int idleCount() {
    int n = 0;
    for (Deque<Idle> q : idle.values()) {
      n += q.size();
    }
    return n;
  }

  /** Called with the lock held: idle too long. */
  private void collectExpired(List<DicomClient> out) {
    long now = System.nanoTime();
    for (Iterator<Deque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
      Deque<Idle> q = it.next();
      while (!q.isEmpty() && now - q.peekFirst().since() > maxIdleNanos) {
        DicomClient c = q.pollFirst().client();
        keys.remove(c);
        out.add(c);
      }
      if (q.isEmpty()) {
        it.remove();
      }
    }
  }

  /** The peer sent nothing while idle (a release request is answered, an abort read). */
  private boolean stillUsable(DicomClient c) {
    Association as = c.association();
    try {
      if (as.isEstablished() && as.pollMessage() == null && as.isEstablished()) {
        return true;
      }
      LOG.debug("{}: not reused, the peer ended it or sent something", as);
    } catch (IOException e) {
      LOG.debug("{}: not reused: {}", as, e.toString());
    }
    keys.remove(c);
    c.abort();
    return false;
  }

  private static void releaseAll(List<DicomClient> clients) {
    for (DicomClient c : clients) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.debug("{}: release failed: {}", c.association(), e.toString());
      }
    }
  }

  /** Releases every idle association; associations still acquired are closed on release. */
  @Override
  public void close() {
    List<DicomClient> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Deque<Idle> q : idle.values()) {
        for (Idle i : q) {
          all.add(i.client());
          keys.remove(i.client());
        }
      }
      idle.clear();
    }
    releaseAll(all);
  }
}
