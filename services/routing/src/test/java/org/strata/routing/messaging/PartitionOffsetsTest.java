package org.strata.routing.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {
  private static final TopicPartition P = new TopicPartition("t", 0);

  @Test
  void aCommitNeverPassesAnUnfinishedRecord() {
    PartitionOffsets o = new PartitionOffsets();
    o.taken(P, 10);
    o.taken(P, 11);
    o.taken(P, 12);
    assertEquals(Map.of(P, 10L), o.toCommit());
    o.committed(Map.of(P, 10L));
    o.finished(P, 11); // out of order: 10 still runs
    assertEquals(Map.of(), o.toCommit());
    o.finished(P, 10);
    assertEquals(Map.of(P, 12L), o.toCommit());
    o.committed(Map.of(P, 12L));
    o.finished(P, 12);
    assertEquals(Map.of(P, 13L), o.toCommit());
  }
}
