package org.strata.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String IVR = "1.2.840.10008.1.2";
  static final String EVR = "1.2.840.10008.1.2.1";

  static AAssociateRQ fullRequest() {
    return new AAssociateRQ(
        1,
        "CALLED",
        "CALLING",
        "1.2.840.10008.3.1.1.1",
        List.of(
            new PresentationContextRQ(1, "1.2.840.10008.1.1", List.of(EVR, IVR)),
            new PresentationContextRQ(3, CT, List.of(IVR))),
        new UserInformation(
            16384,
            "1.2.3.4",
            "TEST_1",
            3,
            2,
            List.of(new RoleSelection(CT, true, true)),
            UserIdentityRQ.usernamePasscode("alice", "pw", true),
            null));
  }

  static Pdu read(byte[] bytes) throws IOException {
    return new PduReader(new ByteArrayInputStream(bytes), 65536, 1 << 20).read();
  }

  @Test
  void associateRequestRoundTrip() throws IOException {
    AAssociateRQ rq = fullRequest();
    byte[] wire = PduWriter.encode(rq);
    assertEquals(0x01, wire[0]);
    assertEquals(
        wire.length - 6,
        ((wire[2] & 0xFF) << 24)
            | ((wire[3] & 0xFF) << 16)
            | ((wire[4] & 0xFF) << 8)
            | (wire[5] & 0xFF));
    // called AE at offset 10, space padded to 16 bytes
    assertEquals(
        "CALLED          ", new String(wire, 10, 16, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(rq, read(wire));
  }

  @Test
  void associateAcceptRoundTrip() throws IOException {
    AAssociateAC ac =
        new AAssociateAC(
            1,
            "CALLED",
            "CALLING",
            "1.2.840.10008.3.1.1.1",
            List.of(
                new PresentationContextAC(1, 0, EVR),
                new PresentationContextAC(
                    3, PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED, IVR)),
            new UserInformation(
                32768,
                "1.2.3.4",
                null,
                1,
                1,
                List.of(new RoleSelection(CT, true, false)),
                null,
                new UserIdentityAC(new byte[] {1, 2, 3})));
    assertEquals(ac, read(PduWriter.encode(ac)));
  }

  @Test
  void fixedPdusRoundTrip() throws IOException {
    for (Pdu p :
        List.<Pdu>of(
            new AAssociateRJ(2, 3, 2),
            AReleaseRQ.INSTANCE,
            AReleaseRP.INSTANCE,
            new AAbort(2, 6))) {
      byte[] wire = PduWriter.encode(p);
      assertEquals(10, wire.length);
      assertEquals(p, read(wire));
    }
  }

  @Test
  void pDataWithTwoPdvs() throws IOException {
    byte[] payload = {10, 11, 12, 13, 14};
    PDataTF p =
        new PDataTF(
            List.of(
                new Pdv(1, Pdv.COMMAND | Pdv.LAST, payload, 0, 2), new Pdv(3, 0, payload, 2, 3)));
    PDataTF back = (PDataTF) read(PduWriter.encode(p));
    assertEquals(2, back.pdvs().size());
    Pdv a = back.pdvs().get(0);
    Pdv b = back.pdvs().get(1);
    assertTrue(a.command() && a.last());
    assertEquals(3, b.presentationContextId());
    assertArrayEquals(
        new byte[] {12, 13, 14},
        java.util.Arrays.copyOfRange(b.buffer(), b.offset(), b.offset() + b.length()));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PduWriter(out).writePData(5, Pdv.LAST, payload, 1, 4);
    PDataTF single = (PDataTF) read(out.toByteArray());
    assertEquals(10, out.size() - 6 + 0); // PDU length field = 4 + 6
    assertEquals(4, single.pdvs().get(0).length());
  }

  @Test
  void unknownItemsAndSubItemsAreSkipped() throws IOException {
    byte[] wire = PduWriter.encode(fullRequest());
    // append an unknown item (0x99) to the PDU, and patch the PDU length
    byte[] extended = java.util.Arrays.copyOf(wire, wire.length + 6);
    System.arraycopy(new byte[] {(byte) 0x99, 0, 0, 2, 7, 7}, 0, extended, wire.length, 6);
    patchLength(extended);
    assertEquals(fullRequest(), read(extended));

    // an unknown sub-item (0x5F) and extended negotiation (0x56) inside user information
    AAssociateRQ small =
        new AAssociateRQ(
            1,
            "A",
            "B",
            "1.2.840.10008.3.1.1.1",
            List.of(new PresentationContextRQ(1, CT, List.of(IVR))),
            new UserInformation(0, "1.2", null));
    byte[] w = PduWriter.encode(small);
    int ui = indexOfItem(w, 0x50);
    byte[] extra = {0x5F, 0, 0, 1, 9, 0x56, 0, 0, 3, 0, 1, 'x'};
    byte[] out = new byte[w.length + extra.length];
    System.arraycopy(w, 0, out, 0, w.length);
    System.arraycopy(extra, 0, out, w.length, extra.length);
    int uiLength = ((out[ui + 2] & 0xFF) << 8 | (out[ui + 3] & 0xFF)) + extra.length;
    out[ui + 2] = (byte) (uiLength >> 8);
    out[ui + 3] = (byte) uiLength;
    patchLength(out);
    assertEquals(small, read(out));
  }

  @Test
  void hostileLengthsAreRefusedBeforeReading() {
    // P-DATA-TF claiming 4 GiB: refused from the header alone (no body follows at all)
    AAbortException e =
        assertThrows(
            AAbortException.class,
            () -> read(new byte[] {4, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0}));
    assertEquals(AAbort.SOURCE_SERVICE_PROVIDER, e.source());
    assertEquals(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, e.reason());
    // just above our maximum
    byte[] h = {4, 0, 0, 1, 0, 1}; // 65537
    assertEquals(6, assertThrows(AAbortException.class, () -> read(h)).reason());
    // an association request above the hard limit
    byte[] rq = {1, 0, 0x7F, 0, 0, 0};
    assertEquals(6, assertThrows(AAbortException.class, () -> read(rq)).reason());
    // fixed-size PDUs with another length
    assertEquals(
        6,
        assertThrows(
                AAbortException.class, () -> read(new byte[] {5, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0}))
            .reason());
    assertEquals(
        6,
        assertThrows(AAbortException.class, () -> read(new byte[] {1, 0, 0, 0, 0, 10})).reason());
  }

  @Test
  void unknownPduTypeIsUnrecognized() {
    AAbortException e =
        assertThrows(AAbortException.class, () -> read(new byte[] {9, 0, 0, 0, 0, 4, 0, 0, 0, 0}));
    assertEquals(AAbort.REASON_UNRECOGNIZED_PDU, e.reason());
  }

  @Test
  void truncationIsEndOfStream() throws IOException {
    byte[] wire = PduWriter.encode(fullRequest());
    assertThrows(EOFException.class, () -> read(java.util.Arrays.copyOf(wire, wire.length - 1)));
    assertThrows(EOFException.class, () -> read(new byte[] {4, 0, 0}));
    assertNull(read(new byte[0]));
  }

  @Test
  void lyingLengthCostsOnlyTheBytesPresent() throws IOException {
    // a 60 KiB P-DATA-TF announced, 10 bytes sent: EOF, and readNBytes never allocated 60 KiB up
    // front
    InputStream in =
        new ByteArrayInputStream(
            new byte[] {4, 0, 0, 0, (byte) 0xF0, 0, 0, 0, 0, 4, 1, 3, 0, 0, 0, 0});
    assertThrows(EOFException.class, () -> new PduReader(in, 65536, 1 << 20).read());
  }

  @Test
  void itemRunningPastItsContainerIsInvalid() {
    byte[] wire = PduWriter.encode(fullRequest());
    int pc = indexOfItem(wire, 0x20);
    wire[pc + 2] = 0x7F; // presentation context item length far beyond the PDU
    assertEquals(6, assertThrows(AAbortException.class, () -> read(wire)).reason());
  }

  @Test
  void pdvItemLengthsAreChecked() {
    // PDV item length 1 (< 2)
    byte[] a = {4, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3};
    assertEquals(6, assertThrows(AAbortException.class, () -> read(a)).reason());
    // PDV item longer than the PDU
    byte[] b = {4, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 3};
    assertEquals(6, assertThrows(AAbortException.class, () -> read(b)).reason());
  }

  @Test
  void requestWithoutUserInformationIsRefused() {
    AAssociateRQ rq = fullRequest();
    byte[] wire = PduWriter.encode(rq);
    int ui = indexOfItem(wire, 0x50);
    byte[] cut = java.util.Arrays.copyOf(wire, ui);
    patchLength(cut);
    AAbortException e = assertThrows(AAbortException.class, () -> read(cut));
    assertEquals(AAbort.REASON_UNEXPECTED_PDU_PARAMETER, e.reason());
  }

  @Test
  void userIdentityDoesNotLeakIntoToString() {
    assertTrue(
        !UserIdentityRQ.usernamePasscode("alice", "secret", false).toString().contains("secret"));
  }

  @Test
  void exceptionsCarrySourceAndReason() {
    AAssociateRJException rj = new AAssociateRJException(new AAssociateRJ(2, 3, 2));
    assertEquals(2, rj.result());
    assertEquals(3, rj.source());
    assertEquals(2, rj.reason());
    assertTrue(rj.getMessage().contains("local-limit-exceeded"), rj.getMessage());
    AAbortException ab = new AAbortException(0, 0, true, "x");
    assertTrue(ab.received());
    assertInstanceOf(IOException.class, ab);
  }

  /** Offset of the first top-level item of {@code type} in an A-ASSOCIATE PDU. */
  static int indexOfItem(byte[] pdu, int type) {
    int pos = 74;
    while (pos < pdu.length) {
      if ((pdu[pos] & 0xFF) == type) {
        return pos;
      }
      pos += 4 + (((pdu[pos + 2] & 0xFF) << 8) | (pdu[pos + 3] & 0xFF));
    }
    throw new IllegalArgumentException("no item " + type);
  }

  static void patchLength(byte[] pdu) {
    int l = pdu.length - 6;
    pdu[2] = (byte) (l >>> 24);
    pdu[3] = (byte) (l >>> 16);
    pdu[4] = (byte) (l >>> 8);
    pdu[5] = (byte) l;
  }
}
