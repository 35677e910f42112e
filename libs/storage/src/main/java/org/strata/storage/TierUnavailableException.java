package org.strata.storage;

import java.time.Duration;

/**
 * A read from a nearline tier that did not complete: its server did not answer within the tier's
 * retrieval delay, or answered an error other than "no such object" (an object not restored yet
 * answers so on an archive storage class). Not a missing object: the client is to ask again after
 * {@link #retryAfter()} (HTTP 503 with Retry-After), never told that the object does not exist (ADR
 * 0065).
 */
public final class TierUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String tier;
  private final transient Duration retryAfter;

  TierUnavailableException(Tier tier, String message, Throwable cause) {
    super(message, cause);
    this.tier = tier.name();
    this.retryAfter = tier.retrievalDelay();
  }

  /** The tier's name (no key, no UID: safe to log and to show). */
  public String tier() {
    return tier;
  }

  /** The tier's documented retrieval delay: when to ask again. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Retry-After in whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
