package org.strata.events;

/**
 * A payload could not be decoded into a {@link StrataEvent}. Unchecked because a consumer can do
 * nothing locally to repair it; {@link #reason()} tells it what to do instead.
 */
public final class EventFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** Not JSON, not a single JSON object, or empty. Poison: dead-letter it. */
    MALFORMED_JSON,
    /** No string {@code "type"} field. Poison: dead-letter it. */
    MISSING_TYPE,
    /** A {@code "type"} this library does not know. */
    UNKNOWN_TYPE,
    /** {@code "schemaVersion"} missing, not an integer, or below 1. Poison: dead-letter it. */
    INVALID_SCHEMA_VERSION,
    /**
     * Written by a newer producer than this consumer knows. Not poison: the consumer must be
     * upgraded, so it should stop rather than skip the record.
     */
    FUTURE_SCHEMA_VERSION,
    /** A valid event, but not of the type the caller asked for. */
    TYPE_MISMATCH,
    /** Right type and version, but fields are missing, mistyped or fail validation. */
    INVALID_EVENT
  }

  private final Reason reason;

  EventFormatException(Reason reason, String message) {
    this(reason, message, null);
  }

  EventFormatException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
