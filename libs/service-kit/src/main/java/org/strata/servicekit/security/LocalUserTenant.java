package org.strata.servicekit.security;

/**
 * The tenant the local user (local mode, loopback, no token) acts in. A service that stores or
 * reads for a configured default tenant provides its own bean; otherwise {@link
 * DefaultLocalUserTenant} gives {@code local}.
 */
public interface LocalUserTenant {
  String tenant();
}
