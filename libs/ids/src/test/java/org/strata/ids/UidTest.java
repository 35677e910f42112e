package org.strata.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UidTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "1.2.840.10008.1.2.1",
        "2.25.329800735698586629295641978511506172918",
        "1.0.3",
        "1.2.3.10"
      })
  void acceptsUidsOfPs35(String uid) {
    assertTrue(Uid.isValid(uid));
    assertEquals(uid, Uid.parse(uid).value());
    assertEquals(uid, Uid.require(uid, "Study Instance UID"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.02", // leading zero
        "01.2",
        "1..2",
        ".1.2",
        "1.2.",
        "1.2a",
        "1.2 ",
        " 1.2",
        "1/2",
        "../1",
        "1.2\u0663", // Arabic-Indic digit three: a digit to Character.isDigit, not to DICOM
      })
  void refusesEverythingElse(String uid) {
    assertFalse(Uid.isValid(uid));
    assertThrows(IllegalArgumentException.class, () -> Uid.parse(uid));
  }

  @Test
  void sixtyFourCharactersAtMost() {
    String uid64 = "1." + "2".repeat(62);
    assertTrue(Uid.isValid(uid64));
    assertFalse(Uid.isValid(uid64 + "3"));
  }

  @Test
  void nullIsNotAUid() {
    assertFalse(Uid.isValid(null));
    assertThrows(IllegalArgumentException.class, () -> Uid.parse(null));
  }

  @Test
  void errorsNameTheFieldNotTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Uid.require("1.2.x9", "SOP Instance UID"));
    assertEquals("SOP Instance UID is not a valid DICOM UID", e.getMessage());
    assertFalse(
        assertThrows(IllegalArgumentException.class, () -> Uid.parse("1.2.x9"))
            .getMessage()
            .contains("x9"));
  }
}
