package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAbortException;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.AReleaseRP;
import org.strata.dicom.net.pdu.AReleaseRQ;
import org.strata.dicom.net.pdu.PDataTF;
import org.strata.dicom.net.pdu.Pdu;
import org.strata.dicom.net.pdu.Pdv;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.UserInformation;

/**
 * A PDU that is valid but unexpected in the state it arrives in (PS3.8 9.2, event "unrecognized or
 * invalid PDU" / AA-8): A-ABORT from the service provider with reason "unexpected PDU", then the
 * connection closes; on the acceptor side (our server, Sta2 and Sta6) and on the requestor side
 * (our client, Sta5 and Sta6).
 */
class UnexpectedPduTest {
  DicomServer server;
  long socketsBefore;

  static final AAssociateAC SOME_AC =
      new AAssociateAC(
          1,
          "STRATA",
          "RAW",
          Implementation.APPLICATION_CONTEXT,
          List.of(),
          new UserInformation(16384, "1.2.3", null));
  static final AAssociateRJ SOME_RJ = new AAssociateRJ(1, 1, 1);
  static final PDataTF SOME_PDATA = new PDataTF(List.of(new Pdv(1, 3, new byte[] {1, 2}, 0, 2)));

  @BeforeEach
  void start() throws IOException {
    server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .associationConfig(AssociationConfig.DEFAULTS.withArtimTimeout(Duration.ofSeconds(2)))
            .build()
            .start();
    socketsBefore = OpenSockets.count();
  }

  @AfterEach
  void noLeak() throws InterruptedException {
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(socketsBefore, OpenSockets.count(), "no socket left open");
    assertEquals(1, server.liveThreadCount(), "only the accept thread may live");
    server.close();
  }

  /** Our server sends A-ABORT and closes. */
  private static void assertUnexpectedPduAbort(RawPeer p) throws IOException {
    assertAbortPdu(p);
    assertTrue(p.closedByPeer());
  }

  /**
   * Our client sends A-ABORT, then waits (Sta13, ARTIM) for us to close: the raw peer closes on
   * leaving the try block.
   */
  private static void assertAbortPdu(RawPeer p) throws IOException {
    AAbort a = assertInstanceOf(AAbort.class, p.read());
    assertEquals(AAbort.SOURCE_SERVICE_PROVIDER, a.source());
    assertEquals(AAbort.REASON_UNEXPECTED_PDU, a.reason());
  }

  @Test
  void acceptorAwaitingTheRequest() throws Exception {
    for (Pdu pdu :
        List.of(SOME_AC, SOME_RJ, AReleaseRP.INSTANCE, SOME_PDATA, AReleaseRQ.INSTANCE)) {
      try (RawPeer p = RawPeer.connect(server.port())) {
        p.send(pdu);
        assertUnexpectedPduAbort(p);
      }
      assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    }
  }

  @Test
  void acceptorEstablished() throws Exception {
    for (Pdu pdu : List.of(SOME_AC, SOME_RJ, AReleaseRP.INSTANCE, RawPeer.echoRequest("STRATA"))) {
      try (RawPeer p = RawPeer.connect(server.port())) {
        assertInstanceOf(AAssociateAC.class, p.associate("STRATA"));
        p.send(pdu);
        assertUnexpectedPduAbort(p);
      }
      assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    }
  }

  /** Our client against a raw acceptor that answers the request with {@code answer}. */
  private static void requestorAwaitingTheAnswer(Pdu answer) throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<DicomClient> client = connectAsync(ss.getLocalPort());
      try (RawPeer p = new RawPeer(ss.accept())) {
        assertInstanceOf(AAssociateRQ.class, p.read());
        p.send(answer);
        assertAbortPdu(p);
      }
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> client.get(30, TimeUnit.SECONDS));
      AAbortException a = assertInstanceOf(AAbortException.class, e.getCause().getCause());
      assertEquals(AAbort.REASON_UNEXPECTED_PDU, a.reason());
    }
  }

  private static CompletableFuture<DicomClient> connectAsync(int port) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return DicomClient.connect(
                "127.0.0.1",
                port,
                "STRATA",
                "RAW",
                DicomClient.proposal().verification(),
                DicomClient.Options.DEFAULTS.withConfig(
                    AssociationConfig.DEFAULTS.withArtimTimeout(Duration.ofSeconds(2))));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void requestorAwaitingTheAnswer() throws Exception {
    requestorAwaitingTheAnswer(SOME_PDATA);
    requestorAwaitingTheAnswer(AReleaseRQ.INSTANCE);
    requestorAwaitingTheAnswer(AReleaseRP.INSTANCE);
    requestorAwaitingTheAnswer(RawPeer.echoRequest("STRATA"));
  }

  @Test
  void requestorEstablished() throws Exception {
    for (Pdu pdu : List.of(SOME_AC, SOME_RJ, AReleaseRP.INSTANCE, RawPeer.echoRequest("X"))) {
      try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        CompletableFuture<DicomClient> connecting = connectAsync(ss.getLocalPort());
        try (RawPeer p = new RawPeer(ss.accept())) {
          assertInstanceOf(AAssociateRQ.class, p.read());
          p.send(
              new AAssociateAC(
                  1,
                  "RAW",
                  "STRATA",
                  Implementation.APPLICATION_CONTEXT,
                  List.of(
                      new PresentationContextAC(
                          1, PresentationContextAC.ACCEPTANCE, UID.ExplicitVRLittleEndian)),
                  new UserInformation(16384, "1.2.3", null)));
          DicomClient c = connecting.get(30, TimeUnit.SECONDS);
          p.send(pdu); // before the client's request: it meets the PDU while awaiting the response
          CompletableFuture<Integer> echo =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return c.echo();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
          // the peer gets the C-ECHO-RQ, then the A-ABORT, and closes
          assertInstanceOf(PDataTF.class, p.read());
          assertAbortPdu(p);
          p.close();
          ExecutionException e =
              assertThrows(ExecutionException.class, () -> echo.get(30, TimeUnit.SECONDS));
          AAbortException a = assertInstanceOf(AAbortException.class, e.getCause().getCause());
          assertEquals(AAbort.REASON_UNEXPECTED_PDU, a.reason());
        }
      }
    }
  }
}
