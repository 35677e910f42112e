package org.strata.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerIdentityTest {

  @Test
  void onlyALoopbackCallerWithoutATokenInLocalModeIsTheLocalUser() {
    String loopback = "127.0.0.1";
    String loopback6 = "0:0:0:0:0:0:0:1";
    String remote = "10.1.2.3";
    assertTrue(CallerIdentity.actsAsLocalUser(AuthMode.LOCAL, null, loopback));
    assertTrue(CallerIdentity.actsAsLocalUser(AuthMode.LOCAL, "", loopback6));
    assertFalse(CallerIdentity.actsAsLocalUser(AuthMode.LOCAL, "Bearer x", loopback));
    assertFalse(CallerIdentity.actsAsLocalUser(AuthMode.LOCAL, null, remote));
    assertFalse(CallerIdentity.actsAsLocalUser(AuthMode.REQUIRED, null, loopback));
    assertFalse(CallerIdentity.actsAsLocalUser(AuthMode.LOCAL, null, "localhost"));
    assertFalse(CallerIdentity.actsAsLocalUser(AuthMode.LOCAL, null, null));
  }

  @Test
  void anHttpCallerIsTheLocalUserAnonymousOrItsToken() {
    assertEquals(
        CallerIdentity.local("::1"), CallerIdentity.ofHttp(true, "local", Roles.ALL, "::1"));
    assertEquals("anonymous", CallerIdentity.ofHttp(false, null, Set.of(), "10.0.0.1").subject());
    assertEquals(
        Set.of(Roles.ADMIN),
        CallerIdentity.ofHttp(false, "admin", Set.of(Roles.ADMIN, "x"), "10.0.0.1").roles());
  }

  @Test
  void theLocalUserHasEveryRoleAndTenantLocal() {
    CallerIdentity local = CallerIdentity.local("127.0.0.1");
    assertEquals(Roles.ALL, local.roles());
    assertEquals(Set.of("local"), local.tenants());
    assertEquals("local", local.subject());
  }

  @Test
  void aTokenCallerKeepsOnlyStrataRoles() {
    CallerIdentity caller =
        CallerIdentity.fromToken(
            "reader", Set.of("strata-reader", "offline_access", "uma_authorization"), "10.0.0.1");
    assertEquals(Set.of(Roles.READER), caller.roles());
    assertTrue(caller.tenants().isEmpty());
    assertEquals("10.0.0.1", caller.sourceAddress());
  }

  @Test
  void aDimsePeerIsItsCallingAeAndHost() {
    CallerIdentity peer = CallerIdentity.dimse("MODALITY1", "10.0.0.7", "hosp-a");
    assertEquals("MODALITY1", peer.callingAe());
    assertEquals("10.0.0.7", peer.sourceAddress());
    assertEquals(Set.of("hosp-a"), peer.tenants());
  }

  @Test
  void productionRefusesAnonymousAccess() {
    IllegalStateException local =
        assertThrows(
            IllegalStateException.class, () -> AuthMode.LOCAL.checkAllowedIn("prod", true));
    assertTrue(local.getMessage().contains("strata.auth.mode=local"));
    assertThrows(
        IllegalStateException.class, () -> AuthMode.REQUIRED.checkAllowedIn("prod", false));
    AuthMode.REQUIRED.checkAllowedIn("prod", true);
    AuthMode.LOCAL.checkAllowedIn("local", true);
    AuthMode.LOCAL.checkAllowedIn("test", false);
  }

  @Test
  void anUnknownModeIsAConfigurationError() {
    assertEquals(AuthMode.REQUIRED, AuthMode.parse(" Required "));
    assertThrows(IllegalStateException.class, () -> AuthMode.parse("anonymous"));
  }
}
