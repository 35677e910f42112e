package org.strata.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantGroupsTest {
  /** What jakarta.json's JsonString prints: the JSON literal, quotes included. */
  private record JsonLiteral(String value) {
    @Override
    public String toString() {
      return "\"" + value + "\"";
    }
  }

  @Test
  void aTenantGroupIsTheWholeTenantADepartmentGroupOnlyItsLabel() {
    TenantGroups g =
        TenantGroups.fromClaim(
            List.of("/tenants/hospital-b", "/tenants/Hospital-A/Cardiology", "/other/x"));
    assertEquals(Set.of("hospital-a", "hospital-b"), g.tenants());
    assertEquals(Map.of("hospital-a", Set.of("cardiology")), g.labels());
    CallerIdentity caller = CallerIdentity.fromToken("u", Set.of(Roles.READER), g, "10.0.0.1");
    assertTrue(caller.seesWhole("hospital-b"));
    assertFalse(caller.seesWhole("hospital-a"));
    assertEquals(Set.of("cardiology"), caller.labelsIn("hospital-a"));
  }

  @Test
  void theWholeTenantMakesItsDepartmentsMoot() {
    TenantGroups g =
        TenantGroups.fromClaim(
            List.of(
                new JsonLiteral("/tenants/hospital-a/radiology"),
                new JsonLiteral("/tenants/hospital-a")));
    assertEquals(Set.of("hospital-a"), g.tenants());
    assertEquals(Map.of(), g.labels());
  }

  @Test
  void noTenantGroupIsNoTenantNeverAll() {
    assertEquals(Set.of(), TenantGroups.fromClaim(null).tenants());
    assertEquals(
        Set.of(),
        TenantGroups.fromClaim(
                List.of("/tenants", "/tenants/", "/tenants/a_b", "/tenants/a/b/c", "/tenantsx/a"))
            .tenants());
    assertEquals(
        Set.of(),
        CallerIdentity.ofHttp(false, "u", Set.of(Roles.READER), null, "::1", "local").tenants());
  }

  @Test
  void theLocalUserTakesTheServicesLocalTenant() {
    CallerIdentity local = CallerIdentity.ofHttp(true, "local", Roles.ALL, null, "::1", "other");
    assertEquals(Set.of("other"), local.tenants());
    assertTrue(local.seesWhole("other"));
  }
}
