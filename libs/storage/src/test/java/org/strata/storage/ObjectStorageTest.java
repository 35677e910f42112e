package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.UsesPlatform;

/** The one door to S3: opened from the platform's strata.s3.* keys, as the services open it. */
@UsesPlatform(Component.S3)
class ObjectStorageTest {

  private static ObjectStorage open(Platform platform) {
    Map<String, String> keys = platform.addresses();
    return ObjectStorage.open(StorageConfig.from(k -> Optional.ofNullable(keys.get(k))));
  }

  @Test
  void oneStorePerBucketAndRequestsCountedAcrossThem(Platform platform) throws Exception {
    ObjectStorage storage = open(platform);
    ObjectStore store = storage.store();
    assertEquals("strata-objects", store.bucket());
    assertSame(store, storage.store("strata-objects"));

    store.put("t/storage/a.bin", new ByteArrayInputStream(new byte[10]), "x/y", Map.of());
    assertTrue(store.stat("t/storage/a.bin").isPresent());
    assertFalse(store.stat("t/storage/missing.bin").isPresent());

    Map<String, Long> counts = storage.requestCounts();
    assertEquals(1L, counts.get("PUT"));
    assertEquals(2L, counts.get("HEAD"));
    assertEquals(counts, store.requestCounts());
    assertEquals(0L, storage.bodyBytes().get("received"), "HEAD answers have no body");
    try (java.io.InputStream in = store.get("t/storage/a.bin")) {
      assertEquals(10, in.readAllBytes().length);
    }
    assertEquals(10L, storage.bodyBytes().get("received"));
    assertTrue(storage.bodyBytes().get("sent") >= 10, "the PUT's body: " + storage.bodyBytes());
    assertEquals(storage.bodyBytes(), store.bodyBytes());
  }

  @Test
  void aMissingObjectIsTold(Platform platform) {
    ObjectStore store = open(platform).store();
    StorageException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StorageException.class,
            () -> {
              try (var in = store.get("t/storage/never-written.bin")) {
                in.read();
              }
            });
    assertTrue(e.isMissing());
    assertEquals("S3 NoSuchKey", StorageException.describe(e));
  }

  @Test
  void listingResumesAfterAKey(Platform platform) throws Exception {
    ObjectStore store = open(platform).store();
    for (String k : List.of("a", "b", "c")) {
      store.put("t/list/" + k, new ByteArrayInputStream(new byte[1]), "x/y", Map.of());
    }
    List<String> after = new ArrayList<>();
    for (ObjectStore.ListedObject o : store.list("t/list/", "t/list/a")) {
      after.add(o.key());
    }
    assertEquals(List.of("t/list/b", "t/list/c"), after);
  }
}
