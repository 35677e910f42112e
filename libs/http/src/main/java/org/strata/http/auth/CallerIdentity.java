package org.strata.http.auth;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, produced once per request (HTTP) or association (DIMSE) by each service, so
 * whoever records or decides something (the audit service to come) reads it from one place.
 *
 * @param subject the user or client the token names, {@code local} for the local user, or the
 *     calling AE title for DIMSE
 * @param roles the caller's Strata roles ({@link Roles}); other roles of the token are left out
 * @param tenants the tenants the caller acts for; empty for a token until tenants come from it
 *     (issue 15, item 2)
 * @param sourceAddress the peer's IP address
 * @param callingAe the calling AE title for DIMSE, else {@code null}
 */
public record CallerIdentity(
    String subject,
    Set<String> roles,
    Set<String> tenants,
    String sourceAddress,
    String callingAe) {

  /** The subject of the local user of {@link AuthMode#LOCAL}. */
  public static final String LOCAL_SUBJECT = "local";

  /** The tenant of the local user. */
  public static final String LOCAL_TENANT = "local";

  public CallerIdentity {
    Objects.requireNonNull(subject, "subject");
    roles = Set.copyOf(roles);
    tenants = Set.copyOf(tenants);
  }

  /** The local user: tenant {@code local}, every role. */
  public static CallerIdentity local(String sourceAddress) {
    return new CallerIdentity(LOCAL_SUBJECT, Roles.ALL, Set.of(LOCAL_TENANT), sourceAddress, null);
  }

  /** A caller authenticated by a token: its Strata roles only. */
  public static CallerIdentity fromToken(
      String subject, Set<String> tokenRoles, String sourceAddress) {
    return new CallerIdentity(
        subject,
        tokenRoles.stream()
            .filter(Roles.ALL::contains)
            .collect(java.util.stream.Collectors.toSet()),
        Set.of(),
        sourceAddress,
        null);
  }

  /** A DIMSE peer: its calling AE, host and the tenant the known-AE rules gave it. */
  public static CallerIdentity dimse(String callingAe, String host, String tenant) {
    return new CallerIdentity(
        callingAe, Set.of(), tenant == null ? Set.of() : Set.of(tenant), host, callingAe);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /**
   * Whether a request acts as the local user: local mode, no {@code Authorization} header, and a
   * loopback peer. A request with any token is validated, whatever the mode.
   */
  public static boolean actsAsLocalUser(
      AuthMode mode, String authorizationHeader, InetAddress peer) {
    return mode == AuthMode.LOCAL
        && (authorizationHeader == null || authorizationHeader.isEmpty())
        && peer != null
        && peer.isLoopbackAddress();
  }
}
