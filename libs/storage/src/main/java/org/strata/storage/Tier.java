package org.strata.storage;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One storage tier: a bucket on an S3 endpoint, with a name the index records for every object
 * ({@code object_location.tier}) and a retrieval class. Objects keep the same key on every tier
 * (see {@link ObjectKeys}); only the endpoint and bucket change when an object moves.
 *
 * @param name the tier's name (lower-case letters, digits, hyphens), e.g. {@code hot}
 * @param storage where the tier is: endpoint, credentials, bucket
 * @param retrieval how fast the tier answers a read
 * @param retrievalDelay how long a read can wait before the first byte: zero for an online tier;
 *     for a nearline tier the documented delay (what a client is told to wait)
 */
public record Tier(
    String name, StorageConfig storage, Retrieval retrieval, Duration retrievalDelay) {

  /** How fast a tier answers. */
  public enum Retrieval {
    /** The first byte within a request's time: read like any S3 bucket. */
    ONLINE,
    /** The first byte after up to {@link Tier#retrievalDelay()} (e.g. a cold storage class). */
    NEARLINE;

    static Retrieval parse(String value, String key) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "object storage: " + key + " is online or nearline, not '" + value + "'");
      }
    }
  }

  public Tier {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(retrieval, "retrieval");
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException(
          "object storage: a tier name is 1 to 32 lower-case letters, digits or hyphens, not '"
              + name
              + "'");
    }
    if (retrievalDelay == null || retrievalDelay.isNegative()) {
      throw new IllegalArgumentException("object storage: tier " + name + " needs a delay >= 0");
    }
    if (retrieval == Retrieval.ONLINE && !retrievalDelay.isZero()) {
      throw new IllegalArgumentException(
          "object storage: online tier " + name + " has no retrieval delay");
    }
  }

  /** An online tier. */
  public static Tier online(String name, StorageConfig storage) {
    return new Tier(name, storage, Retrieval.ONLINE, Duration.ZERO);
  }

  public String bucket() {
    return storage.bucket();
  }
}
