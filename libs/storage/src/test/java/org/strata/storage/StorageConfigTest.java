package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The strata.s3.* keys, read in one place. */
class StorageConfigTest {
  private static final Map<String, String> KEYS =
      Map.of(
          "strata.s3.endpoint", "http://127.0.0.1:19000",
          "strata.s3.access-key", "strata",
          "strata.s3.secret-key", "strata-secret");

  @Test
  void readsTheKeysAndDefaultsTheBucket() {
    StorageConfig config = StorageConfig.from(k -> Optional.ofNullable(KEYS.get(k)));
    assertEquals(
        new StorageConfig("http://127.0.0.1:19000", "strata", "strata-secret", "strata-objects"),
        config);
    assertEquals("other", config.withBucket("other").bucket());
  }

  @Test
  void aMissingKeyIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StorageConfig.from(
                    k -> k.equals("strata.s3.secret-key") ? Optional.empty() : Optional.of("x")));
    assertTrue(e.getMessage().contains("strata.s3.secret-key"), e.getMessage());
  }

  @Test
  void theSecretKeyStaysOutOfLogs() {
    StorageConfig config = StorageConfig.from(k -> Optional.ofNullable(KEYS.get(k)));
    assertFalse(config.toString().contains("strata-secret"), config.toString());
  }
}
