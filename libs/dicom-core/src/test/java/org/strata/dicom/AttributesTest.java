package org.strata.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class AttributesTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void keepsTagsSortedAsUnsignedNumbers() {
    Attributes a = new Attributes();
    a.set(0xFFFAFFFA, VR.SQ, null); // Digital Signatures Sequence: negative as an int
    a.set(Tag.PixelData, VR.OW, new byte[2]);
    a.set(Tag.PatientName, VR.PN, ascii("A^B "));
    a.set(Tag.SOPClassUID, VR.UI, ascii("1.2\0"));
    assertArrayEquals(
        new int[] {Tag.SOPClassUID, Tag.PatientName, Tag.PixelData, 0xFFFAFFFA}, a.tags());
    a.set(Tag.PatientName, VR.PN, ascii("C^D "));
    assertEquals(4, a.size());
    assertEquals("C^D", a.getString(Tag.PatientName));
    assertTrue(a.remove(Tag.PixelData));
    assertFalse(a.contains(Tag.PixelData));
    assertEquals(3, a.size());
  }

  @Test
  void growsPastTheInitialCapacity() {
    Attributes a = new Attributes();
    for (int i = 100; i > 0; i--) {
      a.set(0x00090000 | i, VR.US, new byte[] {(byte) i, 0});
    }
    assertEquals(100, a.size());
    for (int i = 1; i <= 100; i++) {
      assertEquals(i, a.getInt(0x00090000 | i, -1));
    }
  }

  @Test
  void stringsAreSplitAndTrimmedPerVr() {
    Attributes a = new Attributes();
    a.set(Tag.ImageType, VR.CS, ascii("ORIGINAL\\PRIMARY \\ AXIAL"));
    assertArrayEquals(new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}, a.getStrings(Tag.ImageType));
    assertEquals("PRIMARY", a.getString(Tag.ImageType, 1, null));
    assertEquals("none", a.getString(Tag.ImageType, 3, "none"));
    // ST is one value: the backslash is text, leading spaces are significant.
    a.set(Tag.StudyComments, VR.LT, ascii("  a\\b  "));
    assertArrayEquals(new String[] {"  a\\b"}, a.getStrings(Tag.StudyComments));
    assertEquals("  a\\b", a.getText(Tag.StudyComments));
    assertEquals("dflt", a.getString(Tag.PatientID, "dflt"));
    a.set(Tag.PatientID, VR.LO, null);
    assertEquals("dflt", a.getString(Tag.PatientID, "dflt"));
    assertEquals(0, a.getBytes(Tag.PatientID).length);
  }

  @Test
  void numbersFromBinaryAndTextVrs() {
    Attributes little = new Attributes(false, null);
    little.set(Tag.Rows, VR.US, new byte[] {0x00, 0x02}); // 512
    little.set(Tag.SmallestImagePixelValue, VR.SS, new byte[] {(byte) 0xFE, (byte) 0xFF}); // -2
    little.set(Tag.FileMetaInformationGroupLength, VR.UL, new byte[] {1, 0, 0, (byte) 0x80});
    little.set(Tag.InstanceNumber, VR.IS, ascii(" 12\\-3 "));
    little.set(Tag.PixelSpacing, VR.DS, ascii("0.5\\1e1 "));
    little.set(Tag.FrameIncrementPointer, VR.AT, new byte[] {0x08, 0x00, 0x18, 0x00});
    assertEquals(512, little.getInt(Tag.Rows, -1));
    assertEquals(-2, little.getInt(Tag.SmallestImagePixelValue, 0));
    assertEquals(0x80000001L, little.getLongs(Tag.FileMetaInformationGroupLength)[0]);
    assertArrayEquals(new int[] {12, -3}, little.getInts(Tag.InstanceNumber));
    assertEquals(10.0, little.getDouble(Tag.PixelSpacing, 1, 0), 0.0);
    assertEquals(0.5, little.getDouble(Tag.PixelSpacing, 0), 0.0);
    assertEquals(0x00080018, little.getInt(Tag.FrameIncrementPointer, 0));
    assertEquals(-1, little.getInt(Tag.Columns, -1));

    Attributes big = new Attributes(true, null);
    big.set(Tag.Rows, VR.US, new byte[] {0x02, 0x00});
    big.set(Tag.RescaleSlope, VR.FD, new byte[] {0x3F, (byte) 0xF8, 0, 0, 0, 0, 0, 0}); // 1.5
    big.set(Tag.RescaleIntercept, VR.FL, new byte[] {(byte) 0xC0, 0x20, 0, 0}); // -2.5f
    assertEquals(512, big.getInt(Tag.Rows, -1));
    assertEquals(1.5, big.getDouble(Tag.RescaleSlope, 0), 0.0);
    assertEquals(-2.5, big.getDouble(Tag.RescaleIntercept, 0), 0.0);
  }

  @Test
  void badNumbersGiveTheDefault() {
    Attributes a = new Attributes();
    a.set(Tag.NumberOfFrames, VR.IS, ascii("1A"));
    assertEquals(7, a.getInt(Tag.NumberOfFrames, 7));
    a.set(Tag.SliceThickness, VR.DS, ascii("abc"));
    assertEquals(-1.0, a.getDouble(Tag.SliceThickness, -1.0), 0.0);
  }

  @Test
  void datesAndTimes() {
    Attributes a = new Attributes();
    a.set(Tag.StudyDate, VR.DA, ascii("20240229"));
    a.set(Tag.StudyTime, VR.TM, ascii("134502.25 "));
    a.set(Tag.AcquisitionDateTime, VR.DT, ascii("20240301081500.5+0100"));
    a.set(Tag.PatientBirthDate, VR.DA, ascii("1970.01.02"));
    a.set(Tag.SeriesDate, VR.DA, ascii("20230229")); // not a leap year
    assertEquals(LocalDate.of(2024, 2, 29), a.getDate(Tag.StudyDate));
    assertEquals(LocalTime.of(13, 45, 2, 250_000_000), a.getTime(Tag.StudyTime));
    assertEquals(
        LocalDateTime.of(2024, 3, 1, 8, 15, 0, 500_000_000),
        a.getDateTime(Tag.AcquisitionDateTime));
    assertEquals(LocalDate.of(2024, 3, 1), a.getDate(Tag.AcquisitionDateTime));
    assertEquals(LocalDate.of(1970, 1, 2), a.getDate(Tag.PatientBirthDate));
    assertNull(a.getDate(Tag.SeriesDate));
    assertEquals(
        LocalDateTime.of(2024, 2, 29, 13, 45, 2, 250_000_000),
        a.getDateTime(Tag.StudyDate, Tag.StudyTime));
    assertNull(a.getDate(Tag.ContentDate));
  }

  @Test
  void dateTimeEdgeCases() {
    assertEquals(LocalTime.of(7, 0), DicomDates.parseTime("07"));
    assertEquals(LocalTime.of(7, 30), DicomDates.parseTime("0730"));
    assertEquals(LocalTime.of(7, 30, 59), DicomDates.parseTime("07:30:60")); // leap second
    assertNull(DicomDates.parseTime("2400"));
    assertNull(DicomDates.parseTime("07.5"));
    assertEquals(LocalDateTime.of(2020, 1, 1, 0, 0), DicomDates.parseDateTime("2020"));
    assertEquals(LocalDateTime.of(2020, 6, 1, 0, 0), DicomDates.parseDateTime("202006"));
    assertNull(DicomDates.parseDateTime("20201"));
  }

  @Test
  void personNameComponents() {
    Attributes a = new Attributes();
    a.set(Tag.PatientName, VR.PN, ascii("Adams^John Robert Quincy^^Rev.^B.A. M.Div.\\Doe^Jane"));
    PersonName pn = a.getPersonName(Tag.PatientName);
    assertEquals("Adams", pn.familyName());
    assertEquals("John Robert Quincy", pn.givenName());
    assertEquals("", pn.middleName());
    assertEquals("Rev.", pn.prefix());
    assertEquals("B.A. M.Div.", pn.suffix());
    assertEquals("Jane", a.getPersonName(Tag.PatientName, 1).givenName());
    assertNull(a.getPersonName(Tag.PatientName, 2));
    assertEquals("Wang^XiaoDong=王^小東", PersonName.parse("Wang^XiaoDong=王^小東=").toString());
  }

  @Test
  void itemsInheritTheCharacterSetUnlessTheyHaveTheirOwn() {
    Attributes top = new Attributes();
    top.set(Tag.SpecificCharacterSet, VR.CS, ascii("ISO_IR 144"));
    Sequence seq = top.newSequence(Tag.OtherPatientIDsSequence);
    Attributes inherits = seq.addItem();
    inherits.set(Tag.PatientName, VR.PN, new byte[] {(byte) 0xB4});
    Attributes own = seq.addItem();
    own.set(Tag.SpecificCharacterSet, VR.CS, ascii("ISO_IR 100"));
    own.set(Tag.PatientName, VR.PN, new byte[] {(byte) 0xB4});
    assertEquals("Д", inherits.getString(Tag.PatientName));
    assertEquals("´", own.getString(Tag.PatientName));
    assertSame(top, inherits.parent());
    assertEquals(2, top.getItems(Tag.OtherPatientIDsSequence).size());
    // Changing the character set is seen by later reads.
    top.set(Tag.SpecificCharacterSet, VR.CS, ascii("ISO_IR 100"));
    assertEquals("´", inherits.getString(Tag.PatientName));
  }

  @Test
  void otherValueKinds() {
    Attributes a = new Attributes();
    Fragments f = new Fragments(VR.OB, false);
    f.add(new byte[0], 100);
    f.add(new BulkDataRef("file:/x", 108, 4000), 108);
    a.set(Tag.PixelData, VR.OB, f, 92);
    assertSame(f, a.getFragments(Tag.PixelData));
    assertEquals(4000, f.length(1));
    assertEquals(92, a.valueOffset(Tag.PixelData));
    assertNull(a.getBytes(Tag.PixelData));
    assertEquals(0, a.getStrings(Tag.PixelData).length);
    BulkDataRef ref = new BulkDataRef("file:/x", 10, 20);
    a.set(Tag.OverlayData, VR.OW, ref);
    assertSame(ref, a.getBulkData(Tag.OverlayData));
    assertEquals(-1, a.valueOffset(Tag.OverlayData));
  }
}
