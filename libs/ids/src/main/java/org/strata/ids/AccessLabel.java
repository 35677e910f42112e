package org.strata.ids;

/**
 * An access label on a study (a department of a tenant, e.g. {@code cardiology}; ADR 0025): set at
 * ingest by the tenant's label rules, stored by index, and matched against the departments a token
 * holds. A label follows the tenant-id rule ({@link TenantId#RULE}: letters, digits, {@code .} and
 * {@code -}, case-insensitive, kept in lower case), so a Keycloak group name, a configuration value
 * and the index's column all spell it the same way.
 */
public final class AccessLabel {
  private AccessLabel() {}

  /** The label written in {@code value}, folded to lower case; IllegalArgumentException if not. */
  public static String parse(String value) {
    if (!TenantId.isValid(value)) {
      throw new IllegalArgumentException(
          "invalid access label '"
              + (value == null ? "" : value.replaceAll("[^\\x20-\\x7e]", "?"))
              + "': "
              + TenantId.RULE);
    }
    return TenantId.parse(value).value();
  }

  /** Whether {@link #parse} accepts {@code value}. */
  public static boolean isValid(String value) {
    return TenantId.isValid(value);
  }
}
