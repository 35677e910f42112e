package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TiersTest {
  private static Map<String, String> first() {
    Map<String, String> keys = new HashMap<>();
    keys.put("strata.s3.endpoint", "http://hot:9000");
    keys.put("strata.s3.access-key", "a");
    keys.put("strata.s3.secret-key", "s");
    return keys;
  }

  private static Tiers tiers(Map<String, String> keys) {
    return Tiers.from(k -> Optional.ofNullable(keys.get(k)));
  }

  @Test
  void withoutOtherTiersThereIsOneNamedHot() {
    Tiers tiers = tiers(first());
    assertEquals(1, tiers.all().size());
    assertEquals("hot", tiers.first().name());
    assertEquals("strata-objects", tiers.first().bucket());
    assertEquals(Tier.Retrieval.ONLINE, tiers.first().retrieval());
  }

  @Test
  void aSecondTierOnItsOwnEndpointAndANearlineOneOnTheFirstServer() {
    Map<String, String> keys = first();
    keys.put("strata.s3.tiers", "cold, archive");
    keys.put("strata.s3.tiers.cold.endpoint", "http://cold:9000");
    keys.put("strata.s3.tiers.cold.bucket", "strata-cold");
    keys.put("strata.s3.tiers.archive.bucket", "strata-archive");
    keys.put("strata.s3.tiers.archive.retrieval", "nearline");
    keys.put("strata.s3.tiers.archive.retrieval-delay", "PT4H");
    Tiers tiers = tiers(keys);

    Tier cold = tiers.named("cold").orElseThrow();
    assertEquals("http://cold:9000", cold.storage().endpoint());
    assertEquals("a", cold.storage().accessKey());
    Tier archive = tiers.ofBucket("strata-archive").orElseThrow();
    assertEquals("archive", archive.name());
    assertEquals("http://hot:9000", archive.storage().endpoint());
    assertEquals(Tier.Retrieval.NEARLINE, archive.retrieval());
    assertEquals(Duration.ofHours(4), archive.retrievalDelay());
    assertEquals(3, tiers.all().size());
    assertTrue(tiers.ofBucket("unknown").isEmpty());
  }

  @Test
  void mistakesNameTheKey() {
    Map<String, String> keys = first();
    keys.put("strata.s3.tiers", "cold");
    assertEquals(
        "object storage: strata.s3.tiers.cold.bucket is not set",
        assertThrows(IllegalArgumentException.class, () -> tiers(keys)).getMessage());

    keys.put("strata.s3.tiers.cold.bucket", "strata-objects");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> tiers(keys))
            .getMessage()
            .contains("share bucket strata-objects"));

    keys.put("strata.s3.tiers.cold.bucket", "strata-cold");
    keys.put("strata.s3.tiers.cold.retrieval", "nearline");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> tiers(keys))
            .getMessage()
            .contains("retrieval-delay"));

    keys.put("strata.s3.tiers.cold.retrieval", "glacier");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> tiers(keys))
            .getMessage()
            .contains("online or nearline"));

    keys.put("strata.s3.tiers", "Cold");
    keys.put("strata.s3.tiers.Cold.bucket", "strata-cold");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> tiers(keys))
            .getMessage()
            .contains("lower-case"));
  }
}
