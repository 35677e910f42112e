package org.strata.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Decoding of each supported defined term, with bytes taken from the ISO 8859 / TIS 620 / JIS / KS
 * X 1001 / GB code tables (PS3.5 Annex H-K examples where they exist).
 */
class SpecificCharacterSetTest {

  private static String decode(String terms, int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return SpecificCharacterSet.valueOf(terms.split("\\\\", -1)).decode(b);
  }

  @Test
  void singleByteSets() {
    assertEquals("A", decode("ISO_IR 6", 0x41));
    assertEquals("é", decode("ISO_IR 100", 0xE9));
    assertEquals("ą", decode("ISO_IR 101", 0xB1)); // Latin-2
    assertEquals("Ħ", decode("ISO_IR 109", 0xA1)); // Latin-3
    assertEquals("Ą", decode("ISO_IR 110", 0xA1)); // Latin-4
    assertEquals("Д", decode("ISO_IR 144", 0xB4)); // Cyrillic
    assertEquals("ب", decode("ISO_IR 127", 0xC8)); // Arabic
    assertEquals("Δ", decode("ISO_IR 126", 0xC4)); // Greek
    assertEquals("ש", decode("ISO_IR 138", 0xF9)); // Hebrew
    assertEquals("Ğ", decode("ISO_IR 148", 0xD0)); // Latin-5
    assertEquals("ก", decode("ISO_IR 166", 0xA1)); // Thai TIS 620
    assertEquals("ｱ", decode("ISO_IR 13", 0xB1)); // JIS X 0201 katakana
  }

  @Test
  void multiByteSetsWithoutExtensions() {
    assertEquals("王", decode("ISO_IR 192", 0xE7, 0x8E, 0x8B));
    assertEquals("王", decode("GB18030", 0xCD, 0xF5));
    assertEquals("王", decode("GBK", 0xCD, 0xF5));
  }

  @Test
  void backslashInsideAGb18030CharacterIsNotADelimiter() {
    // 0x5C is a valid second byte in GB18030/GBK: 0x81 0x5C is one character (U+4E8A).
    Attributes a = new Attributes();
    a.set(Tag.SpecificCharacterSet, VR.CS, "GB18030".getBytes());
    a.set(Tag.PatientName, VR.PN, new byte[] {(byte) 0x81, 0x5C, 0x5C, 0x41});
    assertEquals(2, a.getStrings(Tag.PatientName).length);
    assertEquals("A", a.getString(Tag.PatientName, 1, null));
  }

  @Test
  void iso2022JapaneseKanjiAndKatakana() {
    // PS3.5 H.3.1 example: ESC $ B switches G0 to JIS X 0208, ESC ( B back to ASCII.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("Yamada^Tarou=".getBytes());
    b.writeBytes(new byte[] {0x1B, '$', 'B', 0x3B, 0x33, 0x45, 0x44, 0x1B, '(', 'B'});
    SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
    assertTrue(cs.usesCodeExtensions());
    assertEquals("Yamada^Tarou=山田", cs.decode(b.toByteArray()));
    // G1 half-width katakana of ISO 2022 IR 13 as first value.
    assertEquals("ﾔﾏﾀﾞ", decode("ISO 2022 IR 13\\ISO 2022 IR 87", 0xD4, 0xCF, 0xC0, 0xDE));
  }

  @Test
  void iso2022JisX0212() {
    // JIS X 0212 0x3021 is U+4E02 (the first kanji row of the supplementary set).
    assertEquals(
        "丂",
        decode("ISO 2022 IR 6\\ISO 2022 IR 159", 0x1B, '$', '(', 'D', 0x30, 0x21, 0x1B, '(', 'B'));
  }

  @Test
  void iso2022Korean() {
    // PS3.5 I.2 example: ESC $ ) C designates KS X 1001 to G1; 0xC8 0xAB is 홍.
    assertEquals(
        "Hong=홍",
        decode("\\ISO 2022 IR 149", 'H', 'o', 'n', 'g', '=', 0x1B, '$', ')', 'C', 0xC8, 0xAB));
  }

  @Test
  void iso2022ChineseGb2312() {
    assertEquals("王", decode("\\ISO 2022 IR 58", 0x1B, '$', ')', 'A', 0xCD, 0xF5));
  }

  @Test
  void iso2022SingleByteExtensions() {
    assertEquals("é", decode("ISO 2022 IR 100", 0xE9));
    assertEquals("aД", decode("ISO 2022 IR 6\\ISO 2022 IR 144", 'a', 0x1B, '-', 'L', 0xB4));
  }

  @Test
  void delimiterResetsTheDesignations() {
    // After a backslash the initial sets are in force again: 0x3B 0x33 is ";3" in ASCII.
    assertEquals("山\\;3", decode("\\ISO 2022 IR 87", 0x1B, '$', 'B', 0x3B, 0x33, '\\', 0x3B, 0x33));
  }

  @Test
  void unknownAndDefaultAreLenient() {
    assertEquals("é", decode("", 0xE9));
    assertEquals("é", decode("ISO_IR 999", 0xE9));
    assertFalse(SpecificCharacterSet.valueOf("ISO_IR 999").isKnown());
    assertTrue(SpecificCharacterSet.valueOf("ISO_IR 100").isKnown());
    assertEquals(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.valueOf(""));
  }

  @Test
  void termsAreNormalized() {
    assertEquals(
        SpecificCharacterSet.valueOf("ISO_IR 100"), SpecificCharacterSet.valueOf(" iso_ir 100 "));
  }
}
