package org.strata.dicom.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/** Spot checks against PS3.6 facts written here by hand, not read from the generated files. */
class ElementDictionaryTest {

  private final ElementDictionary dict = ElementDictionary.standard();

  @Test
  void knownElements() {
    assertEquals(0x00100010, Tag.PatientName);
    assertEquals(VR.PN, dict.vrOf(0x00100010));
    assertEquals("PatientName", dict.keywordOf(0x00100010));
    assertEquals(0x00100010, dict.tagOf("PatientName"));
    assertEquals("1", dict.vmOf(0x00100010));

    assertEquals(0x7FE00010, Tag.PixelData);
    assertEquals(List.of(VR.OB, VR.OW), dict.vrsOf(0x7FE00010));
    assertEquals(0x0020000D, Tag.StudyInstanceUID);
    assertEquals(VR.UI, dict.vrOf(0x0020000D));
    assertEquals(VR.SQ, dict.vrOf(0x00081115)); // ReferencedSeriesSequence
    assertEquals("2-n", dict.vmOf(0x00080008)); // ImageType
    assertEquals("2", dict.vmOf(0x00280030)); // PixelSpacing
    assertEquals("3", dict.vmOf(0x00283002)); // LUTDescriptor
  }

  @Test
  void ambiguousVrsAreAllListed() {
    // (0028,0106) Smallest Image Pixel Value is "US or SS" in PS3.6.
    assertEquals(List.of(VR.US, VR.SS), dict.vrsOf(0x00280106));
    assertEquals(VR.US, dict.vrOf(0x00280106));
  }

  @Test
  void repeatingGroupsMatchEveryGroupOfTheirRange() {
    // (60xx,3000) Overlay Data, (60xx,0010) Overlay Rows, (50xx,3000) Curve Data (retired).
    assertEquals(0x60003000, Tag.OverlayData);
    assertEquals(VR.US, dict.vrOf(0x60020010));
    assertEquals(VR.US, dict.vrOf(0x601E0010));
    assertEquals("OverlayData", dict.keywordOf(0x60223000));
    assertEquals(List.of(VR.OB, VR.OW), dict.vrsOf(0x60223000));
    assertEquals("CurveData", dict.keywordOf(0x50103000));
    assertTrue(dict.entry(0x50103000).retired());
    assertEquals(0x60003000, dict.tagOf("OverlayData"));
  }

  @Test
  void groupLengthsPrivateAndUnknownTags() {
    assertEquals(VR.UL, dict.vrOf(0x00080000));
    assertEquals(VR.UL, dict.vrOf(0x00200000));
    assertEquals(VR.LO, dict.vrOf(0x00090010)); // private creator
    assertEquals(VR.LO, dict.vrOf(0x001900FF));
    assertEquals(VR.UN, dict.vrOf(0x00091001)); // private data element
    assertEquals(VR.UN, dict.vrOf(0x00080003)); // unassigned public element
    assertEquals(VR.UL, dict.vrOf(0x00080001)); // Length to End, retired but listed
    assertNull(dict.keywordOf(0x00091001));
    assertEquals(-1, dict.tagOf("NoSuchKeyword"));
  }

  @Test
  void retiredFlag() {
    assertFalse(dict.entry(Tag.PatientName).retired());
    assertTrue(dict.entry(0x00080040).retired()); // Data Set Type, an ACR-NEMA leftover
  }

  @Test
  void fileMetaElements() {
    assertEquals(0x00020010, Tag.TransferSyntaxUID);
    assertEquals(VR.UI, dict.vrOf(0x00020010));
    assertEquals(VR.OB, dict.vrOf(0x00020001)); // File Meta Information Version
  }

  @Test
  void uidRegistry() {
    assertEquals("1.2.840.10008.1.2.1", UID.ExplicitVRLittleEndian);
    assertEquals("Explicit VR Little Endian", UIDs.nameOf("1.2.840.10008.1.2.1"));
    assertEquals("Implicit VR Little Endian", UIDs.nameOf("1.2.840.10008.1.2"));
    assertTrue(UIDs.isTransferSyntax("1.2.840.10008.1.2.4.50")); // JPEG Baseline
    assertFalse(UIDs.isTransferSyntax("1.2.840.10008.5.1.4.1.1.2"));
    assertEquals("1.2.840.10008.5.1.4.1.1.2", UID.CTImageStorage);
    assertTrue(UIDs.isStorageSopClass("1.2.840.10008.5.1.4.1.1.2")); // CT Image Storage
    assertTrue(UIDs.isStorageSopClass("1.2.840.10008.5.1.4.1.1.4")); // MR Image Storage
    assertTrue(UIDs.isStorageSopClass("1.2.840.10008.5.1.4.1.1.1.1")); // DX For Presentation
    assertTrue(UIDs.isStorageSopClass("1.2.840.10008.5.1.4.1.1.88.11")); // Basic Text SR
    assertFalse(UIDs.isStorageSopClass("1.2.840.10008.1.20.1")); // Storage Commitment Push
    assertFalse(UIDs.isStorageSopClass("1.2.840.10008.1.1")); // Verification
    assertFalse(UIDs.isStorageSopClass("1.2.840.10008.5.1.4.1.2.1.1")); // Patient Root FIND
    assertFalse(UIDs.isStorageSopClass("1.2.3.4"));
    assertNull(UIDs.nameOf("1.2.3.4"));
    assertTrue(UIDs.isRetired("1.2.840.10008.1.2.2")); // Explicit VR Big Endian
    assertEquals("CTImageStorage", UIDs.keywordOf(" 1.2.840.10008.5.1.4.1.1.2 "));
  }

  @Test
  void tableSizesAreInTheRangeOfPs36() {
    // PS3.6 has about 4,900 data elements and 90 repeating-group entries.
    assertTrue(dict.size() > 4500 && dict.size() < 6000, "size " + dict.size());
    assertTrue(UIDs.size() > 400, "uids " + UIDs.size());
  }
}
