package org.strata.bench.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.bench.chaos.ChaosInstances;
import org.strata.bench.ingest.SyntheticInstances;

/** When the routing benchmark counts a file at storescp as delivered: only once it is whole. */
class DeliveriesTest {
  private final byte[] file = SyntheticInstances.ct(1, 16, 16, 7).getFirst();
  private final String sop = ChaosInstances.mediaStorageSopInstanceUid(file);

  @Test
  void aWholeFileIsDeliveredAndOneStillBeingWrittenIsNot() {
    assertEquals(sop, Deliveries.wholeCopyOf(file, file.length));
    // storescp writes as it receives: the file ends inside the Pixel Data value.
    byte[] partial = Arrays.copyOf(file, file.length - 1);
    assertNull(Deliveries.wholeCopyOf(partial, partial.length));
    byte[] metaOnly = Arrays.copyOf(file, ChaosInstances.datasetOffset(file));
    assertNull(Deliveries.wholeCopyOf(metaOnly, metaOnly.length));
  }

  @Test
  void aSecondWholeCopyCountsAsAnExtraCopyNotAsASecondDelivery(@TempDir Path dir) throws Exception {
    Deliveries deliveries = new Deliveries(dir);
    Files.write(dir.resolve("CT.1"), Arrays.copyOf(file, file.length - 10));
    deliveries.poll();
    assertEquals(Set.of(), deliveries.delivered().keySet());
    Files.write(dir.resolve("CT.1"), file);
    Files.write(dir.resolve("CT.2"), file);
    deliveries.poll();
    assertEquals(Set.of(sop), deliveries.delivered().keySet());
    assertEquals(1, deliveries.extraCopies());
  }
}
