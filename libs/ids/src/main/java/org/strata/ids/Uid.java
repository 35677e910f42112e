package org.strata.ids;

/**
 * A DICOM unique identifier (PS3.5 9.1): 1 to 64 characters, numeric components separated by single
 * dots, no component with a leading zero (a lone {@code 0} is fine). The one UID rule of Strata:
 * ingest refuses instances whose UIDs break it, so every path, query parameter and object key is
 * checked against the same rule and a malformed one is a 400, never a lookup.
 *
 * <p>Error messages do not repeat the value (it may come from an untrusted client).
 */
public record Uid(String value) implements Comparable<Uid> {

  public static final int MAX_LENGTH = 64;

  public Uid {
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a valid DICOM UID");
    }
  }

  /** The UID in {@code value}; IllegalArgumentException if it is not one. */
  public static Uid parse(String value) {
    return new Uid(value);
  }

  /** Whether {@code value} is a UID by the rule above (null is not). */
  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    int componentStart = 0;
    for (int i = 0; i <= value.length(); i++) {
      char c = i < value.length() ? value.charAt(i) : '.';
      if (c == '.') {
        int length = i - componentStart;
        if (length == 0 || (length > 1 && value.charAt(componentStart) == '0')) {
          return false;
        }
        componentStart = i + 1;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code value} checked; IllegalArgumentException naming {@code what} (never the value) if it is
   * not a UID. For code that keeps UIDs as strings (records, SQL parameters, object keys).
   */
  public static String require(String value, String what) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(what + " is not a valid DICOM UID");
    }
    return value;
  }

  @Override
  public int compareTo(Uid other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
