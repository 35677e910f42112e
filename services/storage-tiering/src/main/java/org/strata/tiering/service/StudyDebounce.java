package org.strata.tiering.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Studies waiting for their policy evaluation after index committed instances of them: a study is
 * due {@code debounce} after the first commit seen since its last evaluation, and the commits in
 * between add nothing, so a study of 1,000 instances indexed in a few batches is evaluated once or
 * a few times, not 1,000 times. At most {@code maxPending} studies wait (memory is bounded); one
 * more is not kept (the schedule evaluates it).
 */
final class StudyDebounce {
  /** A study of a tenant. */
  record Study(String tenant, String studyUid) {}

  private final Duration debounce;
  private final int maxPending;
  // Insertion order is due order: every study waits the same debounce from when it was added.
  private final Map<Study, Instant> due = new LinkedHashMap<>();

  StudyDebounce(Duration debounce, int maxPending) {
    this.debounce = debounce;
    this.maxPending = maxPending;
  }

  /** A commit of the study seen at {@code now}; false when it could not be kept (too many wait). */
  synchronized boolean offer(Study study, Instant now) {
    if (due.containsKey(study)) {
      return true;
    }
    if (due.size() >= maxPending) {
      return false;
    }
    due.put(study, now.plus(debounce));
    return true;
  }

  /** The studies due at {@code now}, removed: a commit seen from now on makes them wait again. */
  synchronized List<Study> takeDue(Instant now) {
    List<Study> out = new ArrayList<>();
    Iterator<Map.Entry<Study, Instant>> it = due.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Study, Instant> e = it.next();
      if (e.getValue().isAfter(now)) {
        break;
      }
      out.add(e.getKey());
      it.remove();
    }
    return out;
  }

  synchronized int pending() {
    return due.size();
  }
}
