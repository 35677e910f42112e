package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.UserInformation;

/**
 * A peer that stops reading must not pin a thread: once the TCP buffers are full, a write blocked
 * longer than the write timeout closes the connection, on the client and on the server side.
 */
class WriteTimeoutTest {
  static final AssociationConfig CONFIG =
      AssociationConfig.DEFAULTS.withWriteTimeout(Duration.ofSeconds(1));

  /** {@code length} zero bytes, generated (never held in memory). */
  static InputStream zeros(long length) {
    return new InputStream() {
      long left = length;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
  }

  @Test
  void clientStoringToAPeerThatStopsReading() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<DicomClient> connecting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return DicomClient.connect(
                      "127.0.0.1",
                      ss.getLocalPort(),
                      "STRATA",
                      "RAW",
                      DicomClient.proposal().add(TestFiles.SC, UID.ImplicitVRLittleEndian),
                      DicomClient.Options.DEFAULTS.withConfig(CONFIG));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
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
                        1, PresentationContextAC.ACCEPTANCE, UID.ImplicitVRLittleEndian)),
                new UserInformation(65536, "1.2.3", null)));
        DicomClient c = connecting.get(30, TimeUnit.SECONDS);
        // 1 GiB into a peer that reads nothing more: the buffers fill, the write blocks
        SocketTimeoutException e =
            assertThrows(
                SocketTimeoutException.class,
                () ->
                    c.store(TestFiles.SC, "2.25.77", UID.ImplicitVRLittleEndian, zeros(1L << 30)));
        assertTrue(e.getMessage().startsWith("write timeout"), e.getMessage());
        assertTrue(!c.association().isEstablished());
      }
    }
  }

  @Test
  void serverAnsweringAPeerThatStopsReading() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    // an endless C-FIND with 4 KB per match: the SCP keeps writing Pending responses
    String big = "X".repeat(4000);
    DimseRegistry registry =
        new DimseRegistry()
            .registerFind(
                (rq, keys) ->
                    Stream.generate(
                            () -> {
                              Attributes a = new Attributes();
                              a.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
                              a.setString(Tag.StudyDescription, VR.LT, big);
                              sent.incrementAndGet();
                              return CFindHandler.Match.of(a);
                            })
                        .onClose(closed::incrementAndGet));
    DicomServer server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .archiveAE("QRSCP")
            .registry(registry)
            .associationConfig(CONFIG)
            .build()
            .start();
    try (DicomClient c =
        DicomClient.connect(
            "127.0.0.1",
            server.port(),
            "STRATA",
            "QRSCP",
            DicomClient.proposal()
                .add(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian),
            DicomClient.Options.DEFAULTS)) {
      Association as = c.association();
      PresentationContext pc = as.findContext(UID.StudyRootQueryRetrieveInformationModelFind, null);
      Attributes keys = new Attributes();
      keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
      keys.setString(Tag.StudyDescription, VR.LT);
      as.writeMessage(
          pc,
          CommandSet.queryRetrieveRQ(
              Dimse.C_FIND_RQ,
              as.nextMessageId(),
              UID.StudyRootQueryRetrieveInformationModelFind,
              Dimse.PRIORITY_MEDIUM,
              null),
          Identifier.writer(keys, pc.transferSyntax()));
      // we read nothing: the server's association must end by itself (hang guard only)
      assertTrue(server.awaitIdle(Duration.ofSeconds(60)));
      assertEquals(0, server.activeAssociations());
      assertEquals(1, closed.get(), "the match stream is closed");
      assertTrue(sent.get() > 10, "the SCP wrote until it blocked: " + sent.get());
      c.abort();
    } finally {
      server.close();
      assertEquals(0, server.liveThreadCount());
    }
  }
}
