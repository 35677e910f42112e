package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Storage Commitment Push Model, our SCU against our SCP: the report on the same association, on a
 * new association (by policy, and when the requestor released first), a failing handler, and
 * malformed requests.
 */
class StorageCommitmentTest {
  static final String CT = UID.CTImageStorage;

  /** The archive "holds" these instances. */
  static final Set<String> HELD = Set.of("2.25.1.1", "2.25.1.2");

  final List<DicomServer> servers = new ArrayList<>();

  @AfterEach
  void noLeak() throws InterruptedException {
    for (DicomServer s : servers) {
      assertTrue(s.awaitIdle(Duration.ofSeconds(30)));
      s.close();
      assertEquals(0, s.liveThreadCount());
    }
  }

  static StorageCommitment.Result decide(Association as, StorageCommitment.Request rq) {
    List<StorageCommitment.Reference> ok = new ArrayList<>();
    List<StorageCommitment.Failure> failed = new ArrayList<>();
    for (StorageCommitment.Reference r : rq.references()) {
      if (HELD.contains(r.sopInstanceUid())) {
        ok.add(r);
      } else {
        failed.add(
            new StorageCommitment.Failure(
                r.sopClassUid(), r.sopInstanceUid(), StorageCommitment.NO_SUCH_OBJECT_INSTANCE));
      }
    }
    return new StorageCommitment.Result(rq.transactionUid(), ok, failed);
  }

  private DicomServer server(String ae, DimseRegistry registry) throws Exception {
    List<TransferCapability> caps = new ArrayList<>();
    caps.add(TransferCapability.verificationScp());
    caps.addAll(TransferCapability.storageCommitment());
    DicomServer s =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .applicationEntity(new ApplicationEntity(ae, caps))
            .registry(registry)
            .build()
            .start();
    servers.add(s);
    return s;
  }

  private static DicomClient connect(DicomServer s, String calling) throws Exception {
    return DicomClient.connect(
        "127.0.0.1",
        s.port(),
        calling,
        "ARCHIVE",
        DicomClient.proposal().storageCommitment(),
        DicomClient.Options.DEFAULTS);
  }

  static final StorageCommitment.Request REQUEST =
      new StorageCommitment.Request(
          "2.25.42",
          List.of(
              new StorageCommitment.Reference(CT, "2.25.1.1"),
              new StorageCommitment.Reference(CT, "2.25.9.9"),
              new StorageCommitment.Reference(CT, "2.25.1.2")));

  static final StorageCommitment.Result EXPECTED =
      new StorageCommitment.Result(
          "2.25.42",
          List.of(
              new StorageCommitment.Reference(CT, "2.25.1.1"),
              new StorageCommitment.Reference(CT, "2.25.1.2")),
          List.of(new StorageCommitment.Failure(CT, "2.25.9.9", 0x0112)));

  @Test
  void reportOnTheSameAssociation() throws Exception {
    DicomServer scp =
        server(
            "ARCHIVE",
            new DimseRegistry()
                .registerStorageCommitment(
                    StorageCommitmentTest::decide, ae -> null, DicomClient.Options.DEFAULTS));
    try (DicomClient c = connect(scp, "MODALITY")) {
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
      StorageCommitment.Result r = c.awaitStorageCommitmentResult();
      assertEquals(EXPECTED, r);
      assertEquals(2, r.eventTypeId());
      // the association is still usable afterwards
      assertEquals(
          Status.SUCCESS,
          c.requestStorageCommitment(
              new StorageCommitment.Request(
                  "2.25.43", List.of(new StorageCommitment.Reference(CT, "2.25.1.1")))));
      StorageCommitment.Result all = c.awaitStorageCommitmentResult();
      assertEquals(1, all.eventTypeId());
      assertEquals(List.of(), all.failed());
    }
  }

  /** A modality: our SCU, with a server of its own that receives reports. */
  private record Modality(DicomServer server, CompletableFuture<StorageCommitment.Result> report) {}

  private Modality modality() throws Exception {
    CompletableFuture<StorageCommitment.Result> report = new CompletableFuture<>();
    DicomServer s =
        server(
            "MODALITY",
            new DimseRegistry()
                .registerStorageCommitmentReports(
                    (as, result) -> {
                      if ("ARCHIVE".equals(as.callingAE())) {
                        report.complete(result);
                      }
                    }));
    return new Modality(s, report);
  }

  private DicomServer archive(Modality m, StorageCommitmentScp.ReportDelivery delivery)
      throws Exception {
    return server(
        "ARCHIVE",
        new DimseRegistry()
            .registerStorageCommitment(
                StorageCommitmentTest::decide,
                AeDirectory.of(
                    Map.of("MODALITY", new InetSocketAddress("127.0.0.1", m.server().port()))),
                DicomClient.Options.DEFAULTS,
                delivery));
  }

  @Test
  void reportOnANewAssociationByPolicy() throws Exception {
    Modality m = modality();
    DicomServer scp = archive(m, StorageCommitmentScp.ReportDelivery.NEW_ASSOCIATION);
    try (DicomClient c = connect(scp, "MODALITY")) {
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
      // the report went elsewhere: the SCP sends nothing more here (hang guard on the report)
      assertEquals(EXPECTED, m.report().get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void reportOnANewAssociationWhenTheRequestorReleased() throws Exception {
    Modality m = modality();
    // the handler waits until the requestor has released, so the same association is gone
    CompletableFuture<Void> released = new CompletableFuture<>();
    DicomServer scp =
        server(
            "ARCHIVE",
            new DimseRegistry()
                .registerStorageCommitment(
                    (as, rq) -> {
                      released.join();
                      return decide(as, rq);
                    },
                    AeDirectory.of(
                        Map.of("MODALITY", new InetSocketAddress("127.0.0.1", m.server().port()))),
                    DicomClient.Options.DEFAULTS));
    DicomClient c = connect(scp, "MODALITY");
    assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
    // release in the background: it completes once the SCP reads the A-RELEASE-RQ
    CompletableFuture<Void> releasing =
        CompletableFuture.runAsync(
            () -> {
              try {
                c.release();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    released.complete(null);
    releasing.get(30, TimeUnit.SECONDS);
    assertEquals(EXPECTED, m.report().get(30, TimeUnit.SECONDS));
  }

  @Test
  void failingHandlerFailsEveryReference() throws Exception {
    DicomServer scp =
        server(
            "ARCHIVE",
            new DimseRegistry()
                .registerStorageCommitment(
                    (as, rq) -> {
                      throw new IllegalStateException("index down");
                    },
                    ae -> null,
                    DicomClient.Options.DEFAULTS));
    try (DicomClient c = connect(scp, "MODALITY")) {
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
      StorageCommitment.Result r = c.awaitStorageCommitmentResult();
      assertEquals(List.of(), r.committed());
      assertEquals(
          List.of(
              new StorageCommitment.Failure(CT, "2.25.1.1", 0x0110),
              new StorageCommitment.Failure(CT, "2.25.9.9", 0x0110),
              new StorageCommitment.Failure(CT, "2.25.1.2", 0x0110)),
          r.failed());
    }
  }

  @Test
  void malformedRequestsAreRefused() throws Exception {
    DicomServer scp =
        server(
            "ARCHIVE",
            new DimseRegistry()
                .registerStorageCommitment(
                    StorageCommitmentTest::decide, ae -> null, DicomClient.Options.DEFAULTS));
    try (DicomClient c = connect(scp, "MODALITY")) {
      Association as = c.association();
      PresentationContext pc = as.findContext(StorageCommitment.SOP_CLASS, null);
      // action type 2: 0123 no such action type
      CommandSet rq = StorageCommitment.nActionRQ(as.nextMessageId()).setUS(Tag.ActionTypeID, 2);
      assertEquals(0x0123, exchange(as, pc, rq, REQUEST.toAttributes()));
      // another instance than the well-known one: 0112
      rq =
          StorageCommitment.nActionRQ(as.nextMessageId())
              .setUID(Tag.RequestedSOPInstanceUID, "2.25.5");
      assertEquals(0x0112, exchange(as, pc, rq, REQUEST.toAttributes()));
      // no Transaction UID: 0120 missing attribute
      Attributes noTx = REQUEST.toAttributes();
      noTx.remove(Tag.TransactionUID);
      assertEquals(0x0120, exchange(as, pc, StorageCommitment.nActionRQ(as.nextMessageId()), noTx));
      // no references: 0120
      Attributes noRefs = new Attributes();
      noRefs.setString(Tag.TransactionUID, VR.UI, "2.25.44");
      assertEquals(
          0x0120, exchange(as, pc, StorageCommitment.nActionRQ(as.nextMessageId()), noRefs));
      // nothing was reported for any of them: the next report is the next request's
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
      assertEquals(EXPECTED, c.awaitStorageCommitmentResult());
    }
  }

  private static int exchange(
      Association as, PresentationContext pc, CommandSet rq, Attributes data) throws Exception {
    as.writeMessage(pc, rq, Identifier.writer(data, pc.transferSyntax()));
    Association.Message m = as.readMessage();
    assertEquals(Dimse.N_ACTION_RSP, m.command().commandField());
    assertEquals(rq.messageId(), m.command().messageIdBeingRespondedTo());
    return m.command().status();
  }
}
