package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AReleaseRP;
import org.strata.dicom.net.pdu.AReleaseRQ;
import org.strata.dicom.net.pdu.PDataTF;
import org.strata.dicom.net.pdu.Pdu;
import org.strata.dicom.net.pdu.Pdv;
import org.strata.dicom.net.pdu.PresentationContextRQ;

/**
 * Every PDU and item length relation broken once, from a raw socket: the server must answer with
 * A-ABORT (service provider, PS3.8 9.3.8 reason) or close, promptly, and then accept a good
 * association. "Promptly" is checked without timing: the server's idle timeout (60 s) is longer
 * than the test socket's read timeout (20 s), so only a server that ends the association by itself
 * (at once, or after the 2 s ARTIM timer for a PDU that never completes) lets the read return; a
 * server waiting for the idle timeout makes the read throw {@link SocketTimeoutException}.
 */
class PduLengthsTest {
  static final int HANG_DETECTOR_MILLIS = 20_000;

  DicomServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .registry(
                new DimseRegistry()
                    .registerStorage(
                        (rq, data) -> {
                          data.transferTo(java.io.OutputStream.nullOutputStream());
                          return Status.SUCCESS;
                        }))
            .associationConfig(
                AssociationConfig.DEFAULTS
                    .withMaxPduLength(16384)
                    .withArtimTimeout(Duration.ofSeconds(2))
                    .withIdleTimeout(Duration.ofSeconds(60)))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)), "associations did not end");
    server.close();
  }

  private RawPeer connect() throws IOException {
    RawPeer p = RawPeer.connect(server.port());
    p.socket.setSoTimeout(HANG_DETECTOR_MILLIS);
    return p;
  }

  /** An established association with a CT storage context (1) and a C-STORE-RQ under way. */
  private RawPeer storing() throws IOException {
    RawPeer p = connect();
    p.send(
        RawPeer.request(
            "STRATA",
            new PresentationContextRQ(1, UID.CTImageStorage, List.of(UID.ImplicitVRLittleEndian))));
    assertInstanceOf(AAssociateAC.class, p.read());
    byte[] cmd = CommandSet.cStoreRQ(1, UID.CTImageStorage, "1.2.3", 0).encode();
    p.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 0, cmd.length))));
    return p;
  }

  private RawPeer established() throws IOException {
    RawPeer p = connect();
    assertInstanceOf(AAssociateAC.class, p.associate("STRATA"));
    return p;
  }

  /** The server sends A-ABORT with this source and reason, then closes. */
  private static void assertAborted(RawPeer p, int reason) throws IOException {
    Pdu pdu = p.read();
    AAbort a = assertInstanceOf(AAbort.class, pdu, "expected A-ABORT");
    assertEquals(AAbort.SOURCE_SERVICE_PROVIDER, a.source());
    assertEquals(reason, a.reason());
    assertTrue(p.closedByPeer());
  }

  /** After each broken conversation, a good one still works. */
  private void aGoodAssociationIsAccepted() throws IOException {
    try (RawPeer p = connect()) {
      assertInstanceOf(AAssociateAC.class, p.associate("STRATA"));
      p.send(AReleaseRQ.INSTANCE);
      assertEquals(AReleaseRP.INSTANCE, p.read());
    }
  }

  private static byte[] pData(long pduLength, long pdvLength, int pcid, int header, int bytes) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(RawPeer.header(4, pduLength));
    b.writeBytes(u32(pdvLength));
    b.write(pcid);
    b.write(header);
    b.writeBytes(new byte[bytes]);
    return b.toByteArray();
  }

  private static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  // ---------------------------------------------------------------- P-DATA-TF

  @Test
  void pdvLongerThanItsPdu() throws IOException {
    try (RawPeer p = storing()) {
      p.send(pData(16, 1000, 1, 0, 10)); // the PDU carries 10 data bytes, the PDV claims 998
      assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void pduPromisingMoreThanThePeerSends() throws IOException {
    // the lengths agree with each other, but only 10 of the 1000 bytes come; the peer stays
    try (RawPeer p = storing()) {
      p.send(pData(1006, 1002, 1, 0, 10));
      assertAborted(p, AAbort.REASON_NOT_SPECIFIED);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void pduHeaderWithoutBody() throws IOException {
    try (RawPeer p = storing()) {
      p.send(RawPeer.header(4, 200));
      assertAborted(p, AAbort.REASON_NOT_SPECIFIED);
    }
    try (RawPeer p = established()) {
      p.send(new byte[] {4, 0, 0}); // half a PDU header
      assertAborted(p, AAbort.REASON_NOT_SPECIFIED);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void pdvLengthBelowTwo() throws IOException {
    for (int pdvLength : new int[] {0, 1}) {
      try (RawPeer p = storing()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(RawPeer.header(4, 6));
        b.writeBytes(u32(pdvLength));
        b.writeBytes(new byte[] {1, 0});
        p.send(b.toByteArray());
        assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      }
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void pduTooShortForAPdv() throws IOException {
    for (int pduLength : new int[] {0, 1, 5}) {
      try (RawPeer p = storing()) {
        p.send(RawPeer.header(4, pduLength));
        p.send(new byte[pduLength]);
        assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      }
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void bytesAfterTheLastPdvTooFewForAnotherPdv() throws IOException {
    try (RawPeer p = storing()) {
      // one good PDV of 4 data bytes (item 10 bytes), then 3 stray bytes inside the PDU
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(RawPeer.header(4, 13));
      b.writeBytes(u32(6));
      b.writeBytes(new byte[] {1, 0, 0, 0, 0, 0});
      b.writeBytes(new byte[] {0, 0, 0});
      p.send(b.toByteArray());
      assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void hugeLengths() throws IOException {
    for (int type : new int[] {1, 4}) {
      try (RawPeer p = type == 1 ? connect() : established()) {
        p.send(RawPeer.header(type, 0xFFFFFFFFL));
        assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      }
    }
    try (RawPeer p = storing()) {
      p.send(pData(1006, 0xFFFFFFF0L, 1, 0, 1000));
      assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void fixedLengthPdusWithOtherLengths() throws IOException {
    // A-RELEASE-RQ, A-RELEASE-RP, A-ABORT and A-ASSOCIATE-RJ are 4 bytes long
    for (int type : new int[] {3, 5, 6, 7}) {
      for (int length : new int[] {0, 3, 5, 1 << 20}) {
        try (RawPeer p = established()) {
          p.send(RawPeer.header(type, length));
          p.send(new byte[Math.min(length, 8)]);
          assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
        }
      }
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void unrecognizedPduTypesInEveryState() throws IOException {
    for (int type : new int[] {0x00, 0x08, 0x10, 0x7F, 0xFF}) {
      try (RawPeer p = connect()) {
        p.send(RawPeer.header(type, 4));
        p.send(new byte[4]);
        assertAborted(p, AAbort.REASON_UNRECOGNIZED_PDU);
      }
      try (RawPeer p = storing()) {
        p.send(RawPeer.header(type, 0));
        assertAborted(p, AAbort.REASON_UNRECOGNIZED_PDU);
      }
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void releaseRequestInsideADataSetIsUnexpected() throws IOException {
    try (RawPeer p = storing()) {
      p.send(new PDataTF(List.of(new Pdv(1, 0, new byte[8], 0, 8))));
      p.send(AReleaseRQ.INSTANCE);
      assertAborted(p, AAbort.REASON_UNEXPECTED_PDU);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void dribbledPduIsAbortedWhenArtimExpires() throws Exception {
    // a data PDU sent a byte every 300 ms: each read gets a byte long before any read timeout
    try (RawPeer p = storing()) {
      byte[] pdu = pData(1006, 1002, 1, 0, 1000);
      Thread dribbler = Thread.ofVirtual().start(() -> dribble(p, pdu, 300));
      assertAborted(p, AAbort.REASON_NOT_SPECIFIED);
      dribbler.join();
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void dribbledAssociateRequestIsClosedWhenArtimExpires() throws Exception {
    byte[] rq = org.strata.dicom.net.pdu.PduWriter.encode(RawPeer.echoRequest("STRATA"));
    try (RawPeer p = connect()) {
      Thread dribbler = Thread.ofVirtual().start(() -> dribble(p, rq, 300));
      assertNull(p.read(), "closed without a PDU when ARTIM expires (AA-2)");
      dribbler.join();
    }
    aGoodAssociationIsAccepted();
  }

  private static void dribble(RawPeer p, byte[] bytes, long pauseMillis) {
    try {
      for (byte b : bytes) {
        p.send(new byte[] {b});
        Thread.sleep(pauseMillis);
      }
    } catch (IOException | InterruptedException e) {
      // the server closed the connection: what the test waits for
    }
  }

  // ---------------------------------------------------------------- A-ASSOCIATE-RQ items

  private static byte[] item(int type, byte[] value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(type);
    b.write(0);
    b.write(value.length >>> 8);
    b.write(value.length);
    b.writeBytes(value);
    return b.toByteArray();
  }

  /** An item whose length field says {@code length} whatever follows. */
  private static byte[] lyingItem(int type, int length, byte[] value) {
    byte[] i = item(type, value);
    i[2] = (byte) (length >>> 8);
    i[3] = (byte) length;
    return i;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  private static byte[] appContext() {
    return item(0x10, ascii(Implementation.APPLICATION_CONTEXT));
  }

  private static byte[] echoContext() {
    return item(
        0x20,
        concat(
            new byte[] {1, 0, 0, 0},
            item(0x30, ascii(UID.Verification)),
            item(0x40, ascii(UID.ImplicitVRLittleEndian))));
  }

  private static byte[] maxLength() {
    return item(0x51, u32(16384));
  }

  private static byte[] userInfo(byte[]... subItems) {
    return item(0x50, concat(subItems));
  }

  /** An A-ASSOCIATE-RQ PDU with these variable items, its PDU length matching them. */
  private static byte[] associateRq(byte[]... items) {
    byte[] fixed = new byte[68];
    fixed[1] = 1; // protocol version
    byte[] called = ascii("STRATA          ");
    byte[] calling = ascii("RAW             ");
    System.arraycopy(called, 0, fixed, 4, 16);
    System.arraycopy(calling, 0, fixed, 20, 16);
    byte[] body = concat(fixed, concat(items));
    return concat(RawPeer.header(1, body.length), body);
  }

  private void assertRequestAborted(byte[] rq, int reason) throws IOException {
    try (RawPeer p = connect()) {
      p.send(rq);
      assertAborted(p, reason);
    }
  }

  @Test
  void theItemBuilderMakesAGoodRequest() throws IOException {
    // the baseline the broken requests below differ from in one length
    try (RawPeer p = connect()) {
      p.send(associateRq(appContext(), echoContext(), userInfo(maxLength())));
      assertInstanceOf(AAssociateAC.class, p.read());
      p.send(AReleaseRQ.INSTANCE);
      assertEquals(AReleaseRP.INSTANCE, p.read());
    }
  }

  @Test
  void associateRequestShorterThanItsFixedPart() throws IOException {
    for (int length : new int[] {0, 4, 67}) {
      try (RawPeer p = connect()) {
        p.send(RawPeer.header(1, length));
        p.send(new byte[length]);
        assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      }
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void variableItemsLongerThanThePdu() throws IOException {
    int invalid = AAbort.REASON_INVALID_PDU_PARAMETER_VALUE;
    byte[] app = ascii(Implementation.APPLICATION_CONTEXT);
    assertRequestAborted(associateRq(lyingItem(0x10, 4000, app)), invalid);
    assertRequestAborted(
        associateRq(appContext(), echoContext(), lyingItem(0x50, 200, maxLength())), invalid);
    byte[] context = echoContext();
    assertRequestAborted(
        associateRq(
            appContext(),
            lyingItem(0x20, 0xFFFF, java.util.Arrays.copyOfRange(context, 4, context.length)),
            userInfo(maxLength())),
        invalid);
    // an unknown item is skipped, but its length is checked like any other
    assertRequestAborted(
        associateRq(
            appContext(), echoContext(), userInfo(maxLength()), lyingItem(0x77, 9, new byte[2])),
        invalid);
    // fewer than 4 bytes left for an item header
    assertRequestAborted(
        associateRq(appContext(), echoContext(), userInfo(maxLength()), new byte[] {0x77, 0}),
        invalid);
    aGoodAssociationIsAccepted();
  }

  @Test
  void subItemsLongerThanTheirItem() throws IOException {
    int invalid = AAbort.REASON_INVALID_PDU_PARAMETER_VALUE;
    // presentation context: item shorter than its 4 fixed bytes; sub-item past the item
    assertRequestAborted(
        associateRq(appContext(), item(0x20, new byte[] {1, 0}), userInfo(maxLength())), invalid);
    assertRequestAborted(
        associateRq(
            appContext(),
            item(
                0x20,
                concat(new byte[] {1, 0, 0, 0}, lyingItem(0x30, 100, ascii(UID.Verification)))),
            userInfo(maxLength())),
        invalid);
    // user information sub-items
    for (byte[] sub :
        List.of(
            lyingItem(0x51, 40, u32(16384)),
            item(0x51, new byte[] {0, 0}),
            item(0x53, new byte[] {0, 1}),
            lyingItem(0x52, 300, ascii("1.2.3")),
            item(0x54, concat(new byte[] {0, 99}, ascii(UID.Verification), new byte[] {1, 1})),
            item(0x54, new byte[] {0}),
            item(0x58, concat(new byte[] {2, 0, 0, 50}, ascii("user"), new byte[] {0, 0})),
            item(
                0x58,
                concat(new byte[] {2, 0, 0, 4}, ascii("user"), new byte[] {0, 9}, ascii("pw"))),
            item(0x58, new byte[] {1, 0, 0}))) {
      assertRequestAborted(
          associateRq(appContext(), echoContext(), userInfo(maxLength(), sub)), invalid);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void pduLengthShorterThanItsItems() throws IOException {
    // the PDU ends inside the user information item: that item runs past its container
    byte[] rq = associateRq(appContext(), echoContext(), userInfo(maxLength()));
    long length = rq.length - 6 - 3;
    byte[] lying = rq.clone();
    System.arraycopy(u32(length), 0, lying, 2, 4);
    try (RawPeer p = connect()) {
      p.send(java.util.Arrays.copyOf(lying, lying.length - 3));
      assertAborted(p, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
    aGoodAssociationIsAccepted();
  }

  @Test
  void pduLengthLongerThanWhatComes() throws IOException {
    byte[] rq = associateRq(appContext(), echoContext(), userInfo(maxLength()));
    System.arraycopy(u32(rq.length - 6 + 100), 0, rq, 2, 4);
    try (RawPeer p = connect()) {
      p.send(rq); // and then nothing: the ARTIM timer closes the connection (AA-2)
      assertNull(p.read());
    }
    aGoodAssociationIsAccepted();
  }
}
