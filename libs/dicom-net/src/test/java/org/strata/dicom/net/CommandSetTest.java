package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.strata.dicom.Tag;
import org.strata.dicom.net.pdu.AAbortException;

class CommandSetTest {

  @Test
  void echoRequestEncodesAsImplicitLittleEndianWithGroupLength() {
    byte[] b = CommandSet.cEchoRQ(7).encode();
    // (0000,0000) UL 4, value = length of the rest
    assertArrayEquals(new byte[] {0, 0, 0, 0, 4, 0, 0, 0}, java.util.Arrays.copyOf(b, 8));
    int groupLength = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    assertEquals(b.length - 12, groupLength);
    // (0000,0002) "1.2.840.10008.1.1" is 17 characters: padded with NUL to 18
    assertArrayEquals(
        new byte[] {0, 0, 2, 0, 18, 0, 0, 0}, java.util.Arrays.copyOfRange(b, 12, 20));
    assertEquals(0, b[20 + 17]);
  }

  @Test
  void roundTrip() throws AAbortException {
    CommandSet rq =
        CommandSet.cStoreRQ(42, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.45", Dimse.PRIORITY_HIGH);
    byte[] b = rq.encode();
    CommandSet back = CommandSet.decode(b, b.length);
    assertEquals(Dimse.C_STORE_RQ, back.commandField());
    assertEquals(42, back.messageId());
    assertEquals("1.2.840.10008.5.1.4.1.1.2", back.affectedSopClassUid());
    assertEquals("1.2.3.45", back.affectedSopInstanceUid());
    assertEquals(Dimse.PRIORITY_HIGH, back.getInt(Tag.Priority, -1));
    assertTrue(back.hasDataSet());

    CommandSet rsp =
        CommandSet.responseTo(back, Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "bad\u00e9 data set");
    byte[] r = rsp.encode();
    CommandSet rspBack = CommandSet.decode(r, r.length);
    assertEquals(Dimse.C_STORE_RSP, rspBack.commandField());
    assertEquals(42, rspBack.messageIdBeingRespondedTo());
    assertEquals(0xA900, rspBack.status());
    assertFalse(rspBack.hasDataSet());
    assertEquals("1.2.3.45", rspBack.affectedSopInstanceUid());
    assertEquals("bad? data set", rspBack.getString(Tag.ErrorComment));
  }

  @Test
  void malformedCommandSetsAreProtocolErrors() {
    byte[] other = {8, 0, 0x18, 0, 2, 0, 0, 0, '1', 0};
    assertThrows(AAbortException.class, () -> CommandSet.decode(other, other.length));
    byte[] tooLong = {0, 0, 0, 1, 2, 0, 0, 0x10, 1, 0};
    assertThrows(AAbortException.class, () -> CommandSet.decode(tooLong, tooLong.length));
    byte[] truncated = {0, 0, 0, 1, 2};
    assertThrows(AAbortException.class, () -> CommandSet.decode(truncated, truncated.length));
    byte[] noField = {0, 0, 0x10, 1, 2, 0, 0, 0, 1, 0};
    assertThrows(AAbortException.class, () -> CommandSet.decode(noField, noField.length));
  }

  @Test
  void statusClasses() {
    assertTrue(Status.isWarning(0xB000));
    assertTrue(Status.isWarning(0xB007));
    assertFalse(Status.isWarning(0xA700));
    assertTrue(Status.isPending(0xFF01));
    assertTrue(Status.isSuccessOrWarning(0xB006));
    assertFalse(Status.isSuccessOrWarning(0xC000));
  }
}
