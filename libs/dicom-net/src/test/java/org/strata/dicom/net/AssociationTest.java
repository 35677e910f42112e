package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAbortException;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.AReleaseRP;
import org.strata.dicom.net.pdu.AReleaseRQ;
import org.strata.dicom.net.pdu.PDataTF;
import org.strata.dicom.net.pdu.Pdv;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.UserIdentityRQ;
import org.strata.dicom.net.pdu.UserInformation;

/** Our SCU against our SCP, and both state machines against hand-driven peers. */
class AssociationTest {
  static final String CT = UID.CTImageStorage;
  static final String IVR = UID.ImplicitVRLittleEndian;

  DicomServer server;

  @AfterEach
  void noLeak() throws InterruptedException {
    if (server != null) {
      assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(0, server.activeAssociations());
      server.close();
      assertEquals(0, server.liveThreadCount());
    }
  }

  private DicomServer start(
      CStoreHandler handler,
      AssociationConfig config,
      UserIdentityAuthenticator auth,
      AssociationAcceptor acceptor)
      throws IOException {
    server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .registry(new DimseRegistry().registerStorage(handler))
            .associationConfig(config)
            .authenticator(auth)
            .acceptor(acceptor)
            .build()
            .start();
    return server;
  }

  private DicomServer start(CStoreHandler handler) throws IOException {
    return start(
        handler,
        AssociationConfig.DEFAULTS,
        UserIdentityAuthenticator.NONE,
        AssociationAcceptor.knownCalledAE());
  }

  private DicomClient connect(DicomClient.Options options) throws IOException {
    return DicomClient.connect(
        "127.0.0.1",
        server.port(),
        "SCU",
        "STRATA",
        DicomClient.proposal().verification().add(CT, IVR),
        options);
  }

  @Test
  void echoAndStoreWithFragmentationBothWays() throws IOException {
    byte[] data = new byte[100_000];
    new Random(1).nextBytes(data);
    AtomicReference<byte[]> got = new AtomicReference<>();
    AtomicReference<String> ts = new AtomicReference<>();
    AssociationConfig small =
        AssociationConfig.DEFAULTS.withMaxPduLength(4096).withMaxSendPduLength(4096);
    start(
        (rq, in) -> {
          got.set(in.readAllBytes());
          ts.set(rq.transferSyntax());
          return Status.SUCCESS;
        },
        small,
        UserIdentityAuthenticator.NONE,
        AssociationAcceptor.knownCalledAE());
    try (DicomClient c = connect(DicomClient.Options.DEFAULTS.withConfig(small))) {
      assertEquals(4096, c.association().sendPduLength());
      assertEquals(Status.SUCCESS, c.echo());
      assertEquals(Status.SUCCESS, c.store(CT, "1.2.3.4", IVR, new ByteArrayInputStream(data)));
      assertArrayEquals(data, got.get());
      assertEquals(IVR, ts.get());
      // the stream after a store is fine for the next one
      assertEquals(
          Status.SUCCESS, c.store(CT, "1.2.3.5", IVR, new ByteArrayInputStream(new byte[6])));
      assertEquals(6, got.get().length);
    }
  }

  @Test
  void manyConcurrentAssociations() throws Exception {
    java.util.Map<String, byte[]> received = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch allConnected = new CountDownLatch(16);
    start(
        (rq, in) -> {
          received.put(rq.sopInstanceUid(), in.readAllBytes());
          return Status.SUCCESS;
        });
    List<CompletableFuture<Void>> clients = new java.util.ArrayList<>();
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 16; t++) {
        int client = t;
        clients.add(
            CompletableFuture.runAsync(
                () -> {
                  try (DicomClient c = connect(DicomClient.Options.DEFAULTS)) {
                    allConnected.countDown();
                    // every association is established before any stores: they overlap for sure
                    allConnected.await();
                    Random r = new Random(client);
                    for (int i = 0; i < 20; i++) {
                      byte[] data = new byte[r.nextInt(200_000) & ~1];
                      r.nextBytes(data);
                      assertEquals(
                          Status.SUCCESS,
                          c.store(
                              CT, "1.2." + client + "." + i, IVR, new ByteArrayInputStream(data)));
                      assertArrayEquals(data, received.get("1.2." + client + "." + i));
                    }
                  } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                },
                executor));
      }
      for (CompletableFuture<Void> f : clients) {
        f.get(120, TimeUnit.SECONDS);
      }
    }
    assertEquals(16 * 20, received.size());
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(1, server.liveThreadCount(), "only the accept thread");
  }

  @Test
  void handlerStatusesReachTheClient() throws IOException {
    AtomicInteger n = new AtomicInteger();
    start(
        (rq, in) -> {
          switch (n.incrementAndGet()) {
            case 1 -> {
              return Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING;
            }
            case 2 -> throw new DimseException(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "no");
            case 3 -> throw new IllegalStateException("boom");
            case 4 -> throw new IOException("disk full");
            default -> {
              in.read(); // reads one byte only: the rest is skipped
              return Status.COERCION_OF_DATA_ELEMENTS;
            }
          }
        });
    try (DicomClient c = connect(DicomClient.Options.DEFAULTS)) {
      byte[] data = new byte[50_000];
      assertEquals(0xB007, c.store(CT, "1.1", IVR, new ByteArrayInputStream(data)));
      assertEquals(0xA900, c.store(CT, "1.2", IVR, new ByteArrayInputStream(data)));
      assertEquals(
          Status.PROCESSING_FAILURE, c.store(CT, "1.3", IVR, new ByteArrayInputStream(data)));
      assertEquals(
          Status.OUT_OF_RESOURCES, c.store(CT, "1.4", IVR, new ByteArrayInputStream(data)));
      assertEquals(0xB000, c.store(CT, "1.5", IVR, new ByteArrayInputStream(data)));
      assertEquals(Status.SUCCESS, c.echo());
    }
  }

  @Test
  void responseIsSentOnlyAfterTheHandlerReturns() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        (rq, in) -> {
          in.readAllBytes();
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          return Status.SUCCESS;
        });
    try (RawPeer p = RawPeer.connect(server.port())) {
      p.send(
          RawPeer.request(
              "STRATA", new org.strata.dicom.net.pdu.PresentationContextRQ(1, CT, List.of(IVR))));
      assertInstanceOf(AAssociateAC.class, p.read());
      byte[] cmd = CommandSet.cStoreRQ(1, CT, "1.2.3", 0).encode();
      p.send(new PDataTF(List.of(new Pdv(1, Pdv.COMMAND | Pdv.LAST, cmd, 0, cmd.length))));
      p.send(new PDataTF(List.of(new Pdv(1, Pdv.LAST, new byte[1000], 0, 1000))));
      assertTrue(entered.await(60, TimeUnit.SECONDS), "hang guard");
      // the handler holds the whole data set and has not returned: nothing may come. (The window
      // can only make a broken implementation pass by luck, never a correct one fail.)
      p.socket.setSoTimeout(1000);
      assertThrows(java.net.SocketTimeoutException.class, () -> p.in.read());
      p.socket.setSoTimeout(60_000);
      release.countDown();
      PDataTF rsp = assertInstanceOf(PDataTF.class, p.read());
      Pdv pdv = rsp.pdvs().get(0);
      CommandSet c =
          CommandSet.decode(
              java.util.Arrays.copyOfRange(pdv.buffer(), pdv.offset(), pdv.offset() + pdv.length()),
              pdv.length());
      assertEquals(Dimse.C_STORE_RSP, c.commandField());
      assertEquals(Status.SUCCESS, c.status());
      p.send(AReleaseRQ.INSTANCE);
      assertEquals(AReleaseRP.INSTANCE, p.read());
    }
  }

  @Test
  void dataSetIsAStreamNotABuffer() throws IOException {
    // 8 MiB sent through 64 KiB PDUs: the handler's stream holds one PDV at a time, never the
    // data set
    AtomicReference<Integer> available = new AtomicReference<>();
    AtomicInteger total = new AtomicInteger();
    start(
        (rq, in) -> {
          in.read();
          available.set(in.available());
          total.set(1 + (int) in.transferTo(java.io.OutputStream.nullOutputStream()));
          return Status.SUCCESS;
        });
    try (DicomClient c = connect(DicomClient.Options.DEFAULTS)) {
      assertEquals(
          Status.SUCCESS, c.store(CT, "1.2", IVR, new ByteArrayInputStream(new byte[8 << 20])));
    }
    assertEquals(8 << 20, total.get());
    // what the stream holds at a time is at most one PDV, never the data set
    assertTrue(available.get() < 1 << 20, "available " + available.get());
  }

  @Test
  void userIdentityIsNegotiated() throws IOException {
    start(
        (rq, in) -> {
          assertEquals("alice", rq.association().user().name());
          return Status.SUCCESS;
        },
        AssociationConfig.DEFAULTS,
        (id, rq) -> {
          if (id != null
              && id.type() == UserIdentityRQ.JWT
              && id.primaryText().equals("good.jwt.token")) {
            return new UserIdentityAuthenticator.AuthenticatedUser("alice", new byte[] {1, 2});
          }
          throw UserIdentityAuthenticator.reject();
        },
        AssociationAcceptor.knownCalledAE());
    try (DicomClient c =
        connect(
            DicomClient.Options.DEFAULTS.withUserIdentity(
                UserIdentityRQ.jwt("good.jwt.token", true)))) {
      assertArrayEquals(
          new byte[] {1, 2},
          c.association().associateAC().userInformation().userIdentityAC().serverResponse());
      assertEquals(Status.SUCCESS, c.store(CT, "1.2", IVR, new ByteArrayInputStream(new byte[2])));
    }
    AAssociateRJException e =
        assertThrows(
            AAssociateRJException.class,
            () ->
                connect(
                    DicomClient.Options.DEFAULTS.withUserIdentity(
                        UserIdentityRQ.username("mallory", false))));
    assertEquals(AAssociateRJ.SOURCE_SERVICE_USER, e.source());
    assertThrows(AAssociateRJException.class, () -> connect(DicomClient.Options.DEFAULTS));
  }

  @Test
  void callingAndCalledAETitlePolicies() throws IOException {
    start(
        (rq, in) -> Status.SUCCESS,
        AssociationConfig.DEFAULTS,
        UserIdentityAuthenticator.NONE,
        AssociationAcceptor.knownCalledAE()
            .and(AssociationAcceptor.callingAEIn(java.util.Set.of("SCU"))));
    try (DicomClient c = connect(DicomClient.Options.DEFAULTS)) {
      assertEquals(Status.SUCCESS, c.echo());
    }
    AAssociateRJException called =
        assertThrows(
            AAssociateRJException.class,
            () ->
                DicomClient.connect(
                    "127.0.0.1",
                    server.port(),
                    "SCU",
                    "WRONG",
                    DicomClient.proposal().verification(),
                    DicomClient.Options.DEFAULTS));
    assertEquals(AAssociateRJ.REASON_CALLED_AE_NOT_RECOGNIZED, called.reason());
    assertEquals(AAssociateRJ.RESULT_PERMANENT, called.result());
    AAssociateRJException calling =
        assertThrows(
            AAssociateRJException.class,
            () ->
                DicomClient.connect(
                    "127.0.0.1",
                    server.port(),
                    "STRANGER",
                    "STRATA",
                    DicomClient.proposal().verification(),
                    DicomClient.Options.DEFAULTS));
    assertEquals(AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED, calling.reason());
  }

  @Test
  void sopClassNotProposedIsReportedClearly() throws IOException {
    start((rq, in) -> Status.SUCCESS);
    try (DicomClient c = connect(DicomClient.Options.DEFAULTS)) {
      NoPresentationContextException e =
          assertThrows(
              NoPresentationContextException.class,
              () -> c.store(UID.MRImageStorage, "1.2", IVR, InputStream.nullInputStream()));
      assertTrue(e.getMessage().contains("MR Image Storage"), e.getMessage());
      NoPresentationContextException ts =
          assertThrows(
              NoPresentationContextException.class,
              () -> c.store(CT, "1.2", UID.ExplicitVRLittleEndian, InputStream.nullInputStream()));
      assertTrue(ts.getMessage().contains("transcoding is not supported"), ts.getMessage());
      assertEquals(Status.SUCCESS, c.echo(), "still usable");
    }
  }

  @Test
  void failingSourceAbortsTheAssociation() throws IOException {
    start(
        (rq, in) -> {
          in.readAllBytes();
          return Status.SUCCESS;
        });
    try (DicomClient c = connect(DicomClient.Options.DEFAULTS)) {
      InputStream failing =
          new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
              if (++n > 200_000) {
                throw new IOException("source broke");
              }
              return 0;
            }
          };
      assertThrows(IOException.class, () -> c.store(CT, "1.2", IVR, failing));
      assertEquals(State.Sta1, c.association().state());
    }
  }

  @Test
  void serverCloseAbortsActiveAssociations() throws Exception {
    start((rq, in) -> Status.SUCCESS);
    DicomClient c = connect(DicomClient.Options.DEFAULTS);
    assertEquals(Status.SUCCESS, c.echo());
    assertEquals(1, server.activeAssociations());
    server.close();
    assertEquals(0, server.activeAssociations());
    assertEquals(0, server.liveThreadCount());
    assertThrows(IOException.class, c::echo);
    c.close();
    server = null;
  }

  @Test
  void releaseCollisionOnTheRequestorSide() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> peer =
          CompletableFuture.supplyAsync(
              () -> {
                try (RawPeer p = new RawPeer(ss.accept())) {
                  AAssociateRQ rq = (AAssociateRQ) p.read();
                  p.send(acceptAll(rq));
                  List<String> seen = new java.util.ArrayList<>();
                  seen.add(p.read().getClass().getSimpleName()); // A-RELEASE-RQ
                  p.send(AReleaseRQ.INSTANCE); // collision
                  seen.add(p.read().getClass().getSimpleName()); // A-RELEASE-RP from the requestor
                  p.send(AReleaseRP.INSTANCE);
                  seen.add(p.closedByPeer() ? "closed" : "open");
                  return seen;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              ss.getLocalPort(),
              "SCU",
              "RAW",
              DicomClient.proposal().verification(),
              DicomClient.Options.DEFAULTS);
      c.release();
      assertEquals(State.Sta1, c.association().state());
      assertEquals(List.of("AReleaseRQ", "AReleaseRP", "closed"), peer.get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void releaseCollisionOnTheAcceptorSide() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RawPeer requestor =
            new RawPeer(new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort()));
        Socket accepted = ss.accept()) {
      Association acceptor = Association.acceptor(accepted, AssociationConfig.DEFAULTS);
      requestor.send(RawPeer.echoRequest("ME"));
      AAssociateRQ rq = acceptor.readRequest();
      assertEquals(State.Sta3, acceptor.state());
      acceptor.accept(acceptAll(rq), null);
      assertInstanceOf(AAssociateAC.class, requestor.read());
      // both release at once: the acceptor waits for the requestor's A-RELEASE-RP (Sta10), then
      // answers (Sta12) and waits for the close (Sta13)
      requestor.send(AReleaseRQ.INSTANCE);
      CompletableFuture<Void> release =
          CompletableFuture.runAsync(
              () -> {
                try {
                  acceptor.release();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      assertEquals(AReleaseRQ.INSTANCE, requestor.read());
      requestor.send(AReleaseRP.INSTANCE);
      assertEquals(AReleaseRP.INSTANCE, requestor.read());
      requestor.socket.close(); // the transport close the acceptor awaits in Sta13
      release.get(60, TimeUnit.SECONDS);
      assertEquals(State.Sta1, acceptor.state());
    }
  }

  @Test
  void abortFromThePeerEndsTheClient() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> peer =
          CompletableFuture.runAsync(
              () -> {
                try (RawPeer p = new RawPeer(ss.accept())) {
                  p.send(acceptAll((AAssociateRQ) p.read()));
                  p.read(); // the C-ECHO-RQ
                  p.send(new org.strata.dicom.net.pdu.AAbort(0, 0));
                  p.closedByPeer();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              ss.getLocalPort(),
              "SCU",
              "RAW",
              DicomClient.proposal().verification(),
              DicomClient.Options.DEFAULTS);
      AAbortException e = assertThrows(AAbortException.class, c::echo);
      assertTrue(e.received());
      assertEquals(State.Sta1, c.association().state());
      peer.get(60, TimeUnit.SECONDS);
    }
  }

  static AAssociateAC acceptAll(AAssociateRQ rq) {
    return new AAssociateAC(
        1,
        rq.calledAE(),
        rq.callingAE(),
        rq.applicationContext(),
        rq.presentationContexts().stream()
            .map(pc -> new PresentationContextAC(pc.id(), 0, pc.transferSyntaxes().get(0)))
            .toList(),
        new UserInformation(16384, "1.2.3", null));
  }
}
