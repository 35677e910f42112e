package org.strata.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A random cluster id starting with '-' made kafka-storage format fail ("argument --cluster-id/-t:
 * expected one argument") once in 64 platform starts; 10,000 ids would hold about 156 of them.
 */
class KafkaClusterIdTest {
  @Test
  void clusterIdsAreBase64UuidsThatNeverStartWithADash() {
    for (int i = 0; i < 10_000; i++) {
      String id = KafkaBroker.clusterId();
      assertFalse(id.startsWith("-"), id);
      assertEquals(22, id.length(), id);
      assertEquals(16, Base64.getUrlDecoder().decode(id).length, id);
    }
  }
}
