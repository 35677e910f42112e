package org.strata.events;

import java.util.List;
import java.util.regex.Pattern;
import org.strata.ids.TenantId;

/** Argument checks shared by the event records, so every failure message has the same shape. */
final class Require {

  // Canonical textual UUID; UUID.fromString alone would also accept forms like "1-2-3-4-5".
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Require() {}

  static <T> T nonNull(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static String nonBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required and must not be blank");
    }
    return value;
  }

  /**
   * A DICOM UID is only checked for presence: the archive keeps what it was sent, and UID syntax is
   * policed (or knowingly tolerated) at ingest, not by a downstream event.
   */
  static String uid(String value, String field) {
    return nonBlank(value, field);
  }

  /**
   * A tenant id in its canonical, lower-case form (ADR 0022): every producer parses the tenant at
   * its edge, so a non-canonical one here is a producer's defect, refused before it is published.
   */
  static String tenant(String value, String field) {
    nonBlank(value, field);
    return TenantId.requireCanonical(value, field);
  }

  static String uuid(String value, String field) {
    nonBlank(value, field);
    if (!UUID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be a UUID, got '" + value + "'");
    }
    return value;
  }

  static void absent(Object value, String field, String why) {
    if (value != null) {
      throw new IllegalArgumentException(field + " must be null " + why);
    }
  }

  /** Immutable copy; null means empty, null elements are rejected. */
  static <T> List<T> list(List<T> value, String field) {
    if (value == null) {
      return List.of();
    }
    // Not value.contains(null): immutable lists throw NullPointerException on that query.
    for (T element : value) {
      if (element == null) {
        throw new IllegalArgumentException(field + " must not contain null elements");
      }
    }
    return List.copyOf(value);
  }
}
