package org.strata.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.strata.ids.TenantId;

class ObjectKeysTest {

  @Test
  void aTenantWithADotIsAKeySegment() {
    // Before the one tenant rule (ADR 0022) this threw: the known-AE file accepted Hosp.A.
    String tenant = TenantId.parse("Hosp.A").value();
    assertEquals(
        "hosp.a/1.2/1.2.3/1.2.3.4.dcm", ObjectKeys.instance(tenant, "1.2", "1.2.3", "1.2.3.4", 1));
    assertEquals(
        "hosp.a/1.2/1.2.3/1.2.3.4.v2.dcm",
        ObjectKeys.instance(tenant, "1.2", "1.2.3", "1.2.3.4", 2));
    assertEquals("st-marys/1.2/", ObjectKeys.study("st-marys", "1.2"));
  }

  @Test
  void aTenantNotInItsCanonicalFormIsADefectOfTheCaller() {
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.study("Hosp.A", "1.2"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.study("hosp/a", "1.2"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.study("..", "1.2"));
  }

  @Test
  void uidsFollowTheOneUidRule() {
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.study("hosp-a", "1.02"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.study("hosp-a", "1/2"));
    assertThrows(
        IllegalArgumentException.class, () -> ObjectKeys.sidecar("hosp-a", "1.2", "1.2.3", ".."));
  }
}
