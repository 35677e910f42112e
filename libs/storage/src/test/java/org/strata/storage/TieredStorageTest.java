package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.UsesPlatform;

/** Two tiers on two real S3 servers, opened from the platform's keys as the services open them. */
@UsesPlatform({Component.S3, Component.S3_COLD})
class TieredStorageTest {

  @Test
  void eachTiersBucketIsOnItsOwnServer(Platform platform) throws Exception {
    Map<String, String> keys = platform.addresses();
    TieredStorage storage = TieredStorage.open(Tiers.from(k -> Optional.ofNullable(keys.get(k))));
    Tier hot = storage.tiers().first();
    Tier cold = storage.tiers().named("cold").orElseThrow();
    assertEquals(platform.s3ColdEndpoint(), cold.storage().endpoint());
    assertNotSame(storage.store(hot), storage.store(cold));

    byte[] bytes = "on the second server".getBytes();
    String key = "t/tiered/a.bin";
    storage.store(cold).put(key, new ByteArrayInputStream(bytes), "x/y", Map.of());

    // Found through the bucket the index would record, on the second server only.
    try (InputStream in = storage.storeOfBucket("strata-cold").get(key)) {
      assertArrayEquals(bytes, in.readAllBytes());
    }
    assertTrue(
        java.nio.file.Files.exists(platform.s3ColdBucketDir("strata-cold").resolve(key)),
        "the object is a file of the second server");
    assertFalse(storage.store(hot).stat(key).isPresent());
  }
}
