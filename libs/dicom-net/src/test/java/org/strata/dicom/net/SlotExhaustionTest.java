package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AReleaseRP;
import org.strata.dicom.net.pdu.AReleaseRQ;
import org.strata.dicom.net.pdu.PDataTF;
import org.strata.dicom.net.pdu.PduWriter;
import org.strata.dicom.net.pdu.Pdv;
import org.strata.dicom.net.pdu.PresentationContextRQ;

/**
 * One host holding as many silent and dribbling connections as it can open cannot lock the other
 * hosts out: the per-host cap leaves slots for them. The timers are long here (60 s) so that they
 * cannot be what frees the slots; the legitimate sender comes from a second loopback address
 * (127.0.0.2), as a second host would.
 */
class SlotExhaustionTest {
  static final int MAX = 8;
  static final int PER_HOST = 3;

  DicomServer server;
  final List<RawPeer> hostile = new ArrayList<>();
  final List<Thread> dribblers = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .maxAssociations(MAX)
            .maxAssociationsPerHost(PER_HOST)
            .associationConfig(
                AssociationConfig.DEFAULTS
                    .withArtimTimeout(Duration.ofSeconds(60))
                    .withIdleTimeout(Duration.ofSeconds(60)))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (RawPeer p : hostile) {
      p.close();
    }
    for (Thread t : dribblers) {
      t.interrupt();
      t.join();
    }
    server.close();
  }

  private RawPeer from(String localAddress) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    RawPeer p = new RawPeer(s);
    s.setSoTimeout(20_000); // hang guard: longer waits mean the sender is locked out
    return p;
  }

  private void dribble(RawPeer p, byte[] bytes) {
    dribblers.add(
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (byte b : bytes) {
                      p.send(new byte[] {b});
                      Thread.sleep(500);
                    }
                  } catch (IOException | InterruptedException e) {
                    // closed or test over
                  }
                }));
  }

  @Test
  void silentAndDribblingConnectionsOfOneHostLeaveRoomForAnother() throws IOException {
    // 127.0.0.1 opens twice the server's whole limit: an association that then says nothing, one
    // that dribbles a data PDU a byte at a time, one dribbling its A-ASSOCIATE-RQ, then bare
    // connections that never send a byte.
    RawPeer silent = from("127.0.0.1");
    hostile.add(silent);
    assertInstanceOf(AAssociateAC.class, silent.associate("STRATA"));

    RawPeer slowData = from("127.0.0.1");
    hostile.add(slowData);
    slowData.send(
        RawPeer.request(
            "STRATA",
            new PresentationContextRQ(1, UID.CTImageStorage, List.of(UID.ImplicitVRLittleEndian))));
    assertInstanceOf(AAssociateAC.class, slowData.read());
    byte[] cmd = CommandSet.cStoreRQ(1, UID.CTImageStorage, "1.2.3", 0).encode();
    slowData.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 0, cmd.length))));
    byte[] data = new byte[4096];
    dribble(slowData, RawPeer.pData(1, 0, data));

    RawPeer slowRequest = from("127.0.0.1");
    hostile.add(slowRequest);
    dribble(slowRequest, PduWriter.encode(RawPeer.echoRequest("STRATA")));

    while (hostile.size() < 2 * MAX) {
      hostile.add(from("127.0.0.1"));
    }

    // The same host is now over its cap: a further request of its own is rejected transiently.
    try (RawPeer more = from("127.0.0.1")) {
      more.send(RawPeer.echoRequest("STRATA"));
      assertRejectedOrClosed(more);
    }

    // Another host gets in and is served.
    try (RawPeer legitimate = from("127.0.0.2")) {
      assertInstanceOf(
          AAssociateAC.class, legitimate.associate("STRATA"), "the other host is locked out");
      byte[] echo = CommandSet.cEchoRQ(1).encode();
      legitimate.send(
          new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, echo, 0, echo.length))));
      assertInstanceOf(PDataTF.class, legitimate.read());
      legitimate.send(AReleaseRQ.INSTANCE);
      assertEquals(AReleaseRP.INSTANCE, legitimate.read());
    }
  }

  /** A-ASSOCIATE-RJ transient, local limit exceeded; or closed without a word (far over). */
  private static void assertRejectedOrClosed(RawPeer p) throws IOException {
    var pdu = p.read();
    if (pdu != null) {
      assertEquals(
          new AAssociateRJ(
              AAssociateRJ.RESULT_TRANSIENT,
              AAssociateRJ.SOURCE_SERVICE_PROVIDER_PRESENTATION,
              AAssociateRJ.REASON_LOCAL_LIMIT_EXCEEDED),
          pdu);
    }
    assertTrue(p.closedByPeer());
  }
}
