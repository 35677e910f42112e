package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The last {@link #CAPACITY} stored instances routing evaluated, with the facts its rules saw, so a
 * dry run can say what the rules would do with them now (in memory: a restart starts empty).
 */
@ApplicationScoped
public class RecentInstances {
  public static final int CAPACITY = 1000;

  /** One evaluated instance: its identity and the CEL variables ({@link InstanceFacts}). */
  public record Seen(
      String tenant,
      String studyInstanceUid,
      String sopInstanceUid,
      Instant seenAt,
      Map<String, Object> facts) {}

  private final Deque<Seen> seen = new ArrayDeque<>();

  synchronized void add(Seen s) {
    seen.addFirst(s);
    while (seen.size() > CAPACITY) {
      seen.removeLast();
    }
  }

  /**
   * The newest {@code n} first, of {@code study} only unless it is null, of the tenants {@code
   * among} only unless it is null (a dry run shows an admin only the tenants it administers).
   */
  public synchronized List<Seen> newest(int n, String study, Collection<String> among) {
    List<Seen> out = new ArrayList<>();
    for (Seen s : seen) {
      if (out.size() >= n) {
        break;
      }
      if ((study == null || study.equals(s.studyInstanceUid()))
          && (among == null || among.contains(s.tenant()))) {
        out.add(s);
      }
    }
    return out;
  }
}
