package org.strata.http.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, produced once per request (HTTP) or association (DIMSE) by each service, so
 * whoever records or decides something (the audit service to come) reads it from one place.
 *
 * @param subject the user or client the token names, {@code local} for the local user, or the
 *     calling AE title for DIMSE
 * @param roles the caller's Strata roles ({@link Roles}); other roles of the token are left out
 * @param tenants the tenants the caller acts for, whole or limited to departments: for a token its
 *     {@code strata_groups} ({@link TenantGroups}, ADR 0025), empty for a token without a tenant
 *     group (it sees nothing)
 * @param sourceAddress the peer's IP address
 * @param callingAe the calling AE title for DIMSE, else {@code null}
 * @param labels for the tenants the caller holds only departments of, their access labels (it sees
 *     only the studies carrying one); a tenant without an entry is seen whole
 */
public record CallerIdentity(
    String subject,
    Set<String> roles,
    Set<String> tenants,
    String sourceAddress,
    String callingAe,
    Map<String, Set<String>> labels) {

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
    Map<String, Set<String>> copy = new HashMap<>();
    if (labels != null) {
      for (Map.Entry<String, Set<String>> e : labels.entrySet()) {
        if (tenants.contains(e.getKey())) {
          copy.put(e.getKey(), Set.copyOf(e.getValue()));
        }
      }
    }
    labels = Map.copyOf(copy);
  }

  /** A caller seeing each of its tenants whole. */
  public CallerIdentity(
      String subject,
      Set<String> roles,
      Set<String> tenants,
      String sourceAddress,
      String callingAe) {
    this(subject, roles, tenants, sourceAddress, callingAe, Map.of());
  }

  /** The local user: tenant {@code local}, every role, every department. */
  public static CallerIdentity local(String sourceAddress) {
    return local(sourceAddress, LOCAL_TENANT);
  }

  /**
   * The local user of a service that names the local user's tenant in its configuration (query's
   * {@code strata.query.default-tenant}, {@code local} unless set).
   */
  public static CallerIdentity local(String sourceAddress, String tenant) {
    return new CallerIdentity(LOCAL_SUBJECT, Roles.ALL, Set.of(tenant), sourceAddress, null);
  }

  /** A caller authenticated by a token without tenant groups: its Strata roles, no tenant. */
  public static CallerIdentity fromToken(
      String subject, Set<String> tokenRoles, String sourceAddress) {
    return fromToken(subject, tokenRoles, TenantGroups.NONE, sourceAddress);
  }

  /** A caller authenticated by a token: its Strata roles, its tenants and departments. */
  public static CallerIdentity fromToken(
      String subject, Set<String> tokenRoles, TenantGroups groups, String sourceAddress) {
    return new CallerIdentity(
        subject,
        tokenRoles.stream()
            .filter(Roles.ALL::contains)
            .collect(java.util.stream.Collectors.toSet()),
        groups.tenants(),
        sourceAddress,
        null,
        groups.labels());
  }

  /** Whether the caller sees every study of {@code tenant} (not only some departments'). */
  public boolean seesWhole(String tenant) {
    return tenants.contains(tenant) && !labels.containsKey(tenant);
  }

  /**
   * The access labels the caller is limited to in {@code tenant}, empty when it sees the tenant
   * whole (or not at all: ask {@link #tenants()}).
   */
  public Set<String> labelsIn(String tenant) {
    return labels.getOrDefault(tenant, Set.of());
  }

  /** A DIMSE peer: its calling AE, host and the tenant the known-AE rules gave it. */
  public static CallerIdentity dimse(String callingAe, String host, String tenant) {
    return dimse(callingAe, host, tenant, Set.of());
  }

  /**
   * A DIMSE peer limited to the studies of its tenant carrying one of {@code labels} (its known-AE
   * entry's {@code labels=}, ADR 0061); empty labels: the tenant whole.
   */
  public static CallerIdentity dimse(
      String callingAe, String host, String tenant, Set<String> labels) {
    return new CallerIdentity(
        callingAe,
        Set.of(),
        tenant == null ? Set.of() : Set.of(tenant),
        host,
        callingAe,
        tenant == null || labels.isEmpty() ? Map.of() : Map.of(tenant, labels));
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
    return ofHttp(localUser, principal, roles, null, peerIp, LOCAL_TENANT);
  }

  /**
   * The caller of an HTTP request, with the token's tenant groups.
   *
   * @param groupsClaim the token's {@code strata_groups} claim as the token library gives it
   *     ({@link TenantGroups#fromClaim}), null without one
   * @param localTenant the local user's tenant
   */
  public static CallerIdentity ofHttp(
      boolean localUser,
      String principal,
      Set<String> roles,
      Object groupsClaim,
      String peerIp,
      String localTenant) {
    if (localUser) {
      return local(peerIp, localTenant);
    }
    if (principal == null) {
      return new CallerIdentity(ANONYMOUS_SUBJECT, Set.of(), Set.of(), peerIp, null);
    }
    return fromToken(principal, roles, TenantGroups.fromClaim(groupsClaim), peerIp);
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
