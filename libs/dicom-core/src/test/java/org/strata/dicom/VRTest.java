package org.strata.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Wire facts of PS3.5 tables 6.2-1 and 7.1-1/7.1-2, restated here independently of VR.java. */
class VRTest {

  @Test
  void explicitHeaderLengths() {
    Set<VR> twelve =
        EnumSet.of(
            VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.SQ, VR.SV, VR.UC, VR.UN, VR.UR, VR.UT,
            VR.UV);
    for (VR vr : VR.values()) {
      assertEquals(twelve.contains(vr) ? 12 : 8, vr.explicitHeaderLength(), vr.name());
    }
  }

  @Test
  void codesRoundTrip() {
    assertEquals(34, VR.values().length);
    for (VR vr : VR.values()) {
      assertSame(vr, VR.ofCode(vr.code()));
      assertSame(vr, VR.ofName(vr.name()));
    }
    assertEquals(0x504E, VR.PN.code()); // 'P' 'N'
    assertNull(VR.ofCode(0x2020));
    assertNull(VR.ofName("pn"));
    assertNull(VR.ofCode(-1));
  }

  @Test
  void padding() {
    assertEquals(' ', VR.PN.paddingByte());
    assertEquals(' ', VR.UT.paddingByte());
    assertEquals(0, VR.UI.paddingByte());
    assertEquals(0, VR.OB.paddingByte());
  }

  @Test
  void kinds() {
    Set<VR> charset = EnumSet.of(VR.SH, VR.LO, VR.ST, VR.LT, VR.UC, VR.UT, VR.PN);
    for (VR vr : VR.values()) {
      assertEquals(charset.contains(vr), vr.isCharsetSensitive(), vr.name());
      assertFalse(vr.isString() && vr.isBinary(), vr.name());
    }
    assertTrue(VR.DS.isString());
    assertTrue(VR.FL.isBinary());
    assertFalse(VR.SQ.isString() || VR.SQ.isBinary());
    assertFalse(VR.LT.isMultiValuedString());
    assertTrue(VR.LO.isMultiValuedString());
    assertEquals(VR.Kind.TEXT, VR.UR.kind());
  }

  @Test
  void maxLengthsAndUnits() {
    assertEquals(16, VR.AE.maxLength());
    assertEquals(64, VR.LO.maxLength());
    assertEquals(10240, VR.LT.maxLength());
    assertEquals(1024, VR.ST.maxLength());
    assertEquals(64, VR.UI.maxLength());
    assertEquals(-1, VR.UT.maxLength());
    assertEquals(2, VR.OW.unitSize());
    assertEquals(8, VR.FD.unitSize());
    assertEquals(1, VR.OB.unitSize());
  }
}
