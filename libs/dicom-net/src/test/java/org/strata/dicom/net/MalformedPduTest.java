package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AReleaseRP;
import org.strata.dicom.net.pdu.AReleaseRQ;
import org.strata.dicom.net.pdu.PDataTF;
import org.strata.dicom.net.pdu.Pdu;
import org.strata.dicom.net.pdu.PduWriter;
import org.strata.dicom.net.pdu.Pdv;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.PresentationContextRQ;

/**
 * Protocol errors sent from a raw socket to our server. After each test the server must have no
 * association left and no thread but its accept thread.
 */
class MalformedPduTest {
  static final int MAX_PDU = 16384;

  DicomServer server;
  long socketsBefore;
  final List<Throwable> handlerErrors = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    DimseRegistry registry =
        new DimseRegistry()
            .registerStorage(
                (rq, data) -> {
                  try {
                    data.transferTo(java.io.OutputStream.nullOutputStream());
                  } catch (IOException e) {
                    handlerErrors.add(e);
                    throw e;
                  }
                  return Status.SUCCESS;
                });
    server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .registry(registry)
            .maxAssociations(2)
            .associationConfig(
                AssociationConfig.DEFAULTS
                    .withMaxPduLength(MAX_PDU)
                    .withArtimTimeout(Duration.ofSeconds(2))
                    .withIdleTimeout(Duration.ofSeconds(3)))
            .build()
            .start();
    socketsBefore = OpenSockets.count();
  }

  @AfterEach
  void noLeak() throws InterruptedException {
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)), "associations did not end");
    assertEquals(socketsBefore, OpenSockets.count(), "no socket left open");
    assertEquals(0, server.activeAssociations());
    assertEquals(1, server.liveThreadCount(), "only the accept thread may live");
    server.close();
    assertEquals(0, server.liveThreadCount(), "no thread after close");
  }

  private static void assertAbort(Pdu pdu, int source, int reason) {
    AAbort a = assertInstanceOf(AAbort.class, pdu);
    assertEquals(source, a.source());
    assertEquals(reason, a.reason());
  }

  @Test
  void unknownPduType() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(new byte[] {0x0A, 0, 0, 0, 0, 4, 0, 0, 0, 0});
      assertAbort(p.read(), 2, AAbort.REASON_UNRECOGNIZED_PDU);
      assertTrue(p.closedByPeer());
    }
  }

  @Test
  void wrongFixedLength() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      assertInstanceOf(AAssociateAC.class, p.associate("STRATA"));
      p.send(new byte[] {5, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0});
      assertAbort(p.read(), 2, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      assertTrue(p.closedByPeer());
    }
  }

  @Test
  void itemLengthBeyondThePdu() throws IOException {
    byte[] rq = PduWriter.encode(RawPeer.echoRequest("STRATA"));
    rq[74 + 2] = 0x7F; // application context item length
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(rq);
      assertAbort(p.read(), 2, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      assertTrue(p.closedByPeer());
    }
  }

  @Test
  void truncatedRequestThenClose() throws IOException {
    byte[] rq = PduWriter.encode(RawPeer.echoRequest("STRATA"));
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(java.util.Arrays.copyOf(rq, rq.length / 2));
      p.socket.shutdownOutput();
      assertNull(p.read(), "no answer to half a PDU, just the close");
    }
  }

  @Test
  void pDataAboveMaximumLength() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.associate("STRATA");
      p.send(RawPeer.header(4, MAX_PDU + 1));
      assertAbort(p.read(), 2, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
      assertTrue(p.closedByPeer());
    }
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.associate("STRATA");
      p.send(RawPeer.header(4, 0xFFFFFFFFL));
      assertAbort(p.read(), 2, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
  }

  @Test
  void pDataBeforeAssociation() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(new PDataTF(List.of(new Pdv(1, 3, new byte[] {1, 2}, 0, 2))));
      assertAbort(p.read(), 2, AAbort.REASON_UNEXPECTED_PDU);
      assertTrue(p.closedByPeer());
    }
  }

  @Test
  void releaseRequestBeforeAssociation() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(AReleaseRQ.INSTANCE);
      assertAbort(p.read(), 2, AAbort.REASON_UNEXPECTED_PDU);
    }
  }

  @Test
  void secondAssociateRequestIsUnexpected() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.associate("STRATA");
      p.send(RawPeer.echoRequest("STRATA"));
      assertAbort(p.read(), 2, AAbort.REASON_UNEXPECTED_PDU);
    }
  }

  @Test
  void noAcceptableContextGetsAcceptanceWithAllRejected() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(
          RawPeer.request(
              "STRATA",
              new PresentationContextRQ(1, "1.2.3.4.5", List.of(UID.ImplicitVRLittleEndian)),
              new PresentationContextRQ(3, UID.CTImageStorage, List.of("1.2.3.4.5.6"))));
      AAssociateAC ac = assertInstanceOf(AAssociateAC.class, p.read());
      assertEquals(
          PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, ac.presentationContext(1).result());
      assertEquals(
          PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED,
          ac.presentationContext(3).result());
      // data on a rejected context is a protocol error
      byte[] cmd = CommandSet.cEchoRQ(1).encode();
      p.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 0, cmd.length))));
      assertAbort(p.read(), 2, AAbort.REASON_UNEXPECTED_PDU_PARAMETER);
    }
  }

  @Test
  void peerClosesInsideADataSet() throws IOException, InterruptedException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(
          RawPeer.request(
              "STRATA",
              new PresentationContextRQ(
                  1, UID.CTImageStorage, List.of(UID.ImplicitVRLittleEndian))));
      assertInstanceOf(AAssociateAC.class, p.read());
      byte[] cmd = CommandSet.cStoreRQ(1, UID.CTImageStorage, "1.2.3", 0).encode();
      p.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 0, cmd.length))));
      p.send(new PDataTF(List.of(new Pdv(1, 0, new byte[100], 0, 100))));
      // a PDV announcing 1000 bytes, of which 10 come
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(RawPeer.header(4, 1006));
      b.writeBytes(new byte[] {0, 0, 0x03, (byte) 0xEA, 1, 0});
      b.writeBytes(new byte[10]);
      p.send(b.toByteArray());
    }
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(1, handlerErrors.size(), "the handler saw its stream fail");
  }

  @Test
  void commandInterruptedByAnotherContext() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(
          RawPeer.request(
              "STRATA",
              new PresentationContextRQ(1, UID.CTImageStorage, List.of(UID.ImplicitVRLittleEndian)),
              new PresentationContextRQ(3, UID.Verification, List.of(UID.ImplicitVRLittleEndian))));
      p.read();
      byte[] cmd = CommandSet.cStoreRQ(1, UID.CTImageStorage, "1.2.3", 0).encode();
      p.send(
          new PDataTF(
              List.of(
                  new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 0, cmd.length),
                  new Pdv(3, 0, new byte[4], 0, 4))));
      assertAbort(p.read(), 2, AAbort.REASON_UNEXPECTED_PDU_PARAMETER);
    }
  }

  @Test
  void malformedCommandSet() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.associate("STRATA");
      byte[] bad = {8, 0, 0x18, 0, 2, 0, 0, 0, '1', 0};
      p.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, bad, 0, bad.length))));
      assertAbort(p.read(), 2, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
  }

  @Test
  void moreAssociationsThanTheLimitAreRejectedTransiently() throws IOException {
    List<RawPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        RawPeer p = RawPeer.connect(server.port());
        peers.add(p);
        assertInstanceOf(AAssociateAC.class, p.associate("STRATA"));
      }
      try (RawPeer third = RawPeer.connect(server.port())) {
        third.send(RawPeer.echoRequest("STRATA"));
        AAssociateRJ rj = assertInstanceOf(AAssociateRJ.class, third.read());
        assertEquals(
            new AAssociateRJ(
                AAssociateRJ.RESULT_TRANSIENT,
                AAssociateRJ.SOURCE_SERVICE_PROVIDER_PRESENTATION,
                AAssociateRJ.REASON_LOCAL_LIMIT_EXCEEDED),
            rj);
        assertTrue(third.closedByPeer());
      }
      for (RawPeer p : peers) {
        p.send(AReleaseRQ.INSTANCE);
        assertEquals(AReleaseRP.INSTANCE, p.read());
      }
    } finally {
      for (RawPeer p : peers) {
        p.close();
      }
    }
  }

  @Test
  void unknownCalledAETitleIsRejected() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(RawPeer.echoRequest("SOMEONE"));
      assertEquals(new AAssociateRJ(1, 1, AAssociateRJ.REASON_CALLED_AE_NOT_RECOGNIZED), p.read());
    }
  }

  @Test
  void idleAssociationIsAborted() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.associate("STRATA");
      // say nothing: the idle timeout (3 s here) ends in A-ABORT
      assertAbort(p.read(), 2, AAbort.REASON_NOT_SPECIFIED);
      assertTrue(p.closedByPeer());
    }
  }

  @Test
  void silentConnectionIsClosedWhenArtimExpires() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      assertNull(p.read(), "closed without a PDU (AA-2)");
    }
  }

  @Test
  void orderlyReleaseAfterEcho() throws IOException {
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.associate("STRATA");
      byte[] cmd = CommandSet.cEchoRQ(5).encode();
      // command split in three fragments
      p.send(
          new PDataTF(
              List.of(new Pdv(1, Pdv.COMMAND, cmd, 0, 10), new Pdv(1, Pdv.COMMAND, cmd, 10, 20))));
      p.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 30, cmd.length - 30))));
      PDataTF rsp = assertInstanceOf(PDataTF.class, p.read());
      Pdv pdv = rsp.pdvs().get(0);
      CommandSet c =
          CommandSet.decode(
              java.util.Arrays.copyOfRange(pdv.buffer(), pdv.offset(), pdv.offset() + pdv.length()),
              pdv.length());
      assertEquals(Dimse.C_ECHO_RSP, c.commandField());
      assertEquals(5, c.messageIdBeingRespondedTo());
      assertEquals(Status.SUCCESS, c.status());
      p.send(AReleaseRQ.INSTANCE);
      assertEquals(AReleaseRP.INSTANCE, p.read());
    }
  }
}
