package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.UsesPlatform;

/** ObjectStore against real S3 (s3proxy): single PUTs, multipart streaming, ranges, metadata. */
@UsesPlatform(Component.S3)
class ObjectStoreTest {

  @Test
  void smallAndLargeObjectsRoundTripWithMetadataAndRanges(Platform platform) throws Exception {
    ObjectStore store = storage(platform).store("strata-objects", 1024 * 1024, 5L * 1024 * 1024);
    byte[] small = random(1000, 1);
    byte[] large = random(12 * 1024 * 1024 + 17, 2); // three 5 MiB parts, the last one short

    assertEquals(
        small.length,
        store.put(
            "t/1/2/3.dcm",
            new ByteArrayInputStream(small),
            "application/dicom",
            Map.of("sha256", "abc")));
    assertEquals(
        large.length,
        store.put("t/1/2/4.dcm", new ByteArrayInputStream(large), "application/dicom", Map.of()));

    try (InputStream in = store.get("t/1/2/3.dcm")) {
      assertArrayEquals(small, in.readAllBytes());
    }
    try (InputStream in = store.get("t/1/2/4.dcm")) {
      assertArrayEquals(large, in.readAllBytes());
    }
    try (InputStream in = store.getRange("t/1/2/4.dcm", 6_000_000, 10)) {
      byte[] expected = new byte[10];
      System.arraycopy(large, 6_000_000, expected, 0, 10);
      assertArrayEquals(expected, in.readAllBytes());
    }
    ObjectStore.StoredObject stat = store.stat("t/1/2/3.dcm").orElseThrow();
    assertEquals(small.length, stat.size());
    assertEquals("abc", stat.userMetadata().get("sha256"));
    assertTrue(store.stat("t/1/2/nothing.dcm").isEmpty());
    store.delete("t/1/2/3.dcm");
    assertTrue(store.stat("t/1/2/3.dcm").isEmpty());
  }

  @Test
  void putIfAbsentStoresOnceAndHandsBackTheBytesOtherwise(Platform platform) throws Exception {
    ObjectStore store = storage(platform).store("strata-objects", 1024 * 1024, 5L * 1024 * 1024);
    for (int size : new int[] {1000, 6 * 1024 * 1024 + 3}) { // one PUT; multipart
      byte[] first = random(size, 3);
      byte[] second = random(size, 4);
      String key = "t/absent/" + size + ".dcm";
      ObjectStore.PutOutcome a =
          store.putIfAbsent(key, new ByteArrayInputStream(first), "application/dicom", Map.of());
      assertTrue(a.stored());
      assertEquals(size, a.size());
      ObjectStore.PutOutcome b =
          store.putIfAbsent(key, new ByteArrayInputStream(second), "application/dicom", Map.of());
      assertTrue(!b.stored(), "second put under the same key must not store");
      assertArrayEquals(second, b.unsent().readAllBytes(), "unsent bytes handed back whole");
      try (InputStream in = store.get(key)) {
        assertArrayEquals(first, in.readAllBytes(), "the first object is untouched");
      }
    }
  }

  @Test
  void aPutIsCheckedByTheCallersSha256InsteadOfAContentMd5(Platform platform) throws Exception {
    ObjectStore store = storage(platform).store("strata-objects", 1024 * 1024, 5L * 1024 * 1024);
    byte[] object = random(3000, 5);
    // Read through a digest, as ingest does: the PUT is signed with that digest's hash.
    java.security.MessageDigest seen = java.security.MessageDigest.getInstance("SHA-256");
    ObjectStore.PutOutcome stored =
        store.putIfAbsent(
            "t/hash/right.dcm",
            new java.security.DigestInputStream(new ByteArrayInputStream(object), seen),
            "application/dicom",
            Map.of(),
            seen);
    assertTrue(stored.stored());
    assertEquals(
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(object)),
        java.util.HexFormat.of().formatHex(seen.digest()),
        "the caller's digest is left to the caller, having seen the object once");
    try (InputStream in = store.get("t/hash/right.dcm")) {
      assertArrayEquals(object, in.readAllBytes());
    }
    // A hash that is not the body's: S3 refuses the PUT (the hash is what protects the bytes on
    // their way, in place of the Content-MD5 no longer sent), and nothing is stored.
    java.security.MessageDigest other = java.security.MessageDigest.getInstance("SHA-256");
    other.update(random(3000, 6));
    assertThrows(
        StorageException.class,
        () ->
            store.putIfAbsent(
                "t/hash/wrong.dcm",
                new ByteArrayInputStream(object),
                "application/dicom",
                Map.of(),
                other));
    assertTrue(store.stat("t/hash/wrong.dcm").isEmpty());
  }

  @Test
  void keysAreDerivedFromUidsAndRejectAnythingElse() {
    assertEquals(
        "hosp-a/1.2/1.2.3/1.2.3.4.dcm",
        ObjectKeys.instance("hosp-a", "1.2", "1.2.3", "1.2.3.4", 1));
    assertEquals(
        "hosp-a/1.2/1.2.3/1.2.3.4.v2.dcm",
        ObjectKeys.instance("hosp-a", "1.2", "1.2.3", "1.2.3.4", 2));
    assertThrows(
        IllegalArgumentException.class, () -> ObjectKeys.instance("hosp-a", "../x", "1", "1", 1));
    assertThrows(
        IllegalArgumentException.class, () -> ObjectKeys.instance("Hosp A", "1", "1", "1", 1));
  }

  private static ObjectStorage storage(Platform platform) {
    Map<String, String> s3 = platform.addresses();
    return ObjectStorage.open(
        new StorageConfig(
            platform.s3Endpoint(),
            s3.get("strata.s3.access-key"),
            s3.get("strata.s3.secret-key"),
            "strata-objects"));
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
