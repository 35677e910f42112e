package org.strata.routing.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets of records taken but not yet finished, per partition, and what may be committed: the
 * lowest unfinished offset (or the next after the last one read when all are finished). Records
 * finish out of order (jobs of different destinations share a partition); a commit never passes one
 * that is not finished, so a restart re-reads it. Thread-safe.
 */
final class PartitionOffsets {
  private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  synchronized void taken(TopicPartition tp, long offset) {
    open.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
    next.merge(tp, offset + 1, Math::max);
  }

  synchronized void finished(TopicPartition tp, long offset) {
    TreeSet<Long> offsets = open.get(tp);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  /** The offsets to commit now (those that moved since the last call). */
  synchronized Map<TopicPartition, Long> toCommit() {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (var e : next.entrySet()) {
      TreeSet<Long> offsets = open.get(e.getKey());
      long commit = offsets == null || offsets.isEmpty() ? e.getValue() : offsets.first();
      if (!Long.valueOf(commit).equals(committed.get(e.getKey()))) {
        out.put(e.getKey(), commit);
      }
    }
    return out;
  }

  synchronized void committed(Map<TopicPartition, Long> offsets) {
    committed.putAll(offsets);
  }

  /** Forgets a partition this consumer no longer owns. */
  synchronized void revoked(TopicPartition tp) {
    open.remove(tp);
    next.remove(tp);
    committed.remove(tp);
  }

  /** Commits what moved, synchronously, on {@code consumer}'s thread. */
  void commit(Consumer<?, ?> consumer) {
    Map<TopicPartition, Long> due = toCommit();
    if (due.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    due.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
    consumer.commitSync(commit);
    committed(due);
  }
}
