package org.strata.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

  @ParameterizedTest
  @CsvSource({
    "hosp-a, hosp-a",
    "st-marys, st-marys",
    "Hosp.A, hosp.a",
    "HOSP.A, hosp.a",
    "local, local",
    "9, 9",
    "a-, a-",
    "uk.nhs.rbh, uk.nhs.rbh"
  })
  void parsesWhatOperatorsWriteIntoTheLowerCaseForm(String written, String canonical) {
    assertTrue(TenantId.isValid(written));
    assertEquals(canonical, TenantId.parse(written).value());
    assertTrue(TenantId.isCanonical(canonical));
    assertEquals(TenantId.parse(written), TenantId.parse(canonical));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".hosp",
        "-hosp",
        "..",
        "hosp_a",
        "hosp a",
        " hosp",
        "hosp/a",
        "hosp\\a",
        "hôpital",
        "\u212Aosp", // Kelvin sign: String.toLowerCase would turn it into 'k'
        "hosp%2fa"
      })
  void refusesTheRestNamingTheRule(String written) {
    assertFalse(TenantId.isValid(written));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TenantId.parse(written));
    assertTrue(e.getMessage().contains(TenantId.RULE), e.getMessage());
  }

  @Test
  void sixtyThreeCharactersAtMost() {
    assertTrue(TenantId.isValid("a".repeat(63)));
    assertFalse(TenantId.isValid("a".repeat(64)));
  }

  @Test
  void theCanonicalFormIsLowerCaseOnly() {
    assertFalse(TenantId.isCanonical("Hosp.A"));
    assertThrows(IllegalArgumentException.class, () -> new TenantId("Hosp.A"));
    assertThrows(
        IllegalArgumentException.class, () -> TenantId.requireCanonical("Hosp.A", "tenant"));
    assertEquals("hosp.a", TenantId.requireCanonical("hosp.a", "tenant"));
  }

  @Test
  void nullIsRefused() {
    assertFalse(TenantId.isValid(null));
    assertThrows(IllegalArgumentException.class, () -> TenantId.parse(null));
  }

  @Test
  void aConfigurationKeyMayBeQuoted() {
    assertEquals("hosp.a", TenantId.parseConfigKey("\"Hosp.A\"").value());
    assertEquals("hosp-a", TenantId.parseConfigKey("hosp-a").value());
    assertThrows(IllegalArgumentException.class, () -> TenantId.parseConfigKey("\"hosp_a\""));
  }
}
