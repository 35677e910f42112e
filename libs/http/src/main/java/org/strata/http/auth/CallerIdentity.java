package org.strata.http.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
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

  /** The subject of a request without a token on an open endpoint (health). */
  public static final String ANONYMOUS_SUBJECT = "anonymous";

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
   * The caller of an HTTP request as the service's security layer saw it.
   *
   * @param localUser the request was admitted by the local-user rule ({@link #actsAsLocalUser})
   * @param principal the validated token's principal name, or {@code null} without one
   * @param roles the identity's roles
   * @param peerIp the peer's IP address
   */
  public static CallerIdentity ofHttp(
      boolean localUser, String principal, Set<String> roles, String peerIp) {
    if (localUser) {
      return local(peerIp);
    }
    if (principal == null) {
      return new CallerIdentity(ANONYMOUS_SUBJECT, Set.of(), Set.of(), peerIp, null);
    }
    return fromToken(principal, roles, peerIp);
  }

  /**
   * Whether a request acts as the local user: local mode, no {@code Authorization} header, and a
   * loopback peer (an IP literal, as the HTTP server reports it). A request with any token is
   * validated, whatever the mode.
   */
  public static boolean actsAsLocalUser(AuthMode mode, String authorizationHeader, String peerIp) {
    return mode == AuthMode.LOCAL
        && (authorizationHeader == null || authorizationHeader.isEmpty())
        && isLoopback(peerIp);
  }

  private static boolean isLoopback(String ip) {
    // Only IP literals: a host name here would mean a DNS lookup, and is never a loopback peer.
    if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || Character.isDigit(ip.charAt(0)))) {
      return false;
    }
    try {
      return InetAddress.getByName(ip).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
