package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A nearline tier whose server does not answer: every read is "not available now, ask again after
 * the tier's delay", never "no such object"; the same failure on an online tier stays a plain
 * storage failure. The endpoint is a port nothing listens on (no server needed).
 */
class NearlineTierTest {

  @Test
  void aReadFromANearlineTierThatDoesNotAnswerIsUnavailableForItsDelay() throws Exception {
    String nowhere = "http://127.0.0.1:" + closedPort();
    Map<String, String> keys =
        Map.of(
            "strata.s3.endpoint", nowhere,
            "strata.s3.access-key", "k",
            "strata.s3.secret-key", "s",
            "strata.s3.tiers", "archive",
            "strata.s3.tiers.archive.bucket", "strata-archive",
            "strata.s3.tiers.archive.retrieval", "nearline",
            "strata.s3.tiers.archive.retrieval-delay", "PT2.5S");
    TieredStorage storage = TieredStorage.open(Tiers.from(k -> Optional.ofNullable(keys.get(k))));
    ObjectStore archive = storage.storeOfBucket("strata-archive");

    TierUnavailableException get =
        assertThrows(TierUnavailableException.class, () -> archive.get("t/1/2/3.dcm"));
    assertEquals("archive", get.tier());
    assertEquals(Duration.ofMillis(2500), get.retryAfter());
    assertEquals(3, get.retryAfterSeconds(), "Retry-After rounds up");
    assertFalse(get.isMissing());
    assertThrows(TierUnavailableException.class, () -> archive.getRange("t/1/2/3.dcm", 0, 1));
    assertThrows(TierUnavailableException.class, () -> archive.stat("t/1/2/3.dcm"));
    assertThrows(TierUnavailableException.class, () -> archive.probe("t/1/2/3.dcm"));
    assertThrows(
        TierUnavailableException.class,
        () -> storage.store(storage.tiers().named("archive").orElseThrow()).get("t/1/2/3.dcm"));

    // The online first tier on the same silent endpoint: a storage failure, not a nearline one.
    StorageException online =
        assertThrows(
            StorageException.class, () -> storage.storeOfBucket("strata-objects").get("k"));
    assertFalse(online instanceof TierUnavailableException);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
