package org.strata.http.auth;

import java.util.Locale;

/**
 * How a service authenticates HTTP callers ({@code strata.auth.mode}). {@link #REQUIRED}, the
 * production default: every request but health needs a valid bearer token. {@link #LOCAL}, for
 * {@code make run} and tests: a request from loopback without a token acts as the local user
 * (tenant {@code local}, every role); a request that carries a token is validated anyway.
 */
public enum AuthMode {
  REQUIRED,
  LOCAL;

  /** The mode named in configuration; anything else is a configuration error. */
  public static AuthMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException(
          "strata.auth.mode must be required or local, not '" + value + "'");
    }
  }

  /**
   * Refuses anonymous access in the production profile: the service must not start when {@code
   * strata.auth.mode=local} or OIDC is disabled there.
   *
   * @throws IllegalStateException with the reason, which stops the service's start
   */
  public void checkAllowedIn(String profile, boolean oidcEnabled) {
    if (!"prod".equals(profile)) {
      return;
    }
    if (this == LOCAL) {
      throw new IllegalStateException(
          "strata.auth.mode=local lets loopback callers in without a token and is refused in the"
              + " production profile; use strata.auth.mode=required (make run uses the local"
              + " profile)");
    }
    if (!oidcEnabled) {
      throw new IllegalStateException(
          "quarkus.oidc.tenant-enabled=false leaves no way to validate tokens and is refused in"
              + " the production profile");
    }
  }
}
