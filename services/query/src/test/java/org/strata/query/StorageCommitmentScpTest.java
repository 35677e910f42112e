package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.ApplicationEntity;
import org.strata.dicom.net.DicomClient;
import org.strata.dicom.net.DicomServer;
import org.strata.dicom.net.DimseRegistry;
import org.strata.dicom.net.Status;
import org.strata.dicom.net.StorageCommitment;
import org.strata.dicom.net.StorageCommitment.Failure;
import org.strata.dicom.net.StorageCommitment.Reference;
import org.strata.dicom.net.TransferCapability;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.PlatformTestResource;

/**
 * Storage Commitment (push model) on the Q/R AE, decided from the index of the {@link
 * DimseTestData} set: held instances are committed, unknown ones fail with 0112, a known instance
 * under another SOP class with 0119; the report comes on the same association, or on a new one to
 * the requestor's configured address when the requestor released first.
 */
@QuarkusTest
@TestProfile(DimseQueryRetrieveTest.DimseProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class StorageCommitmentScpTest {
  private static final String PORT_PROPERTY = "strata.test.dimse.commitment-report-port";
  private static final String UNKNOWN = "1.2.826.0.1.3680043.10.1137.999.1";

  @Inject QueryRetrieveServer scp;

  static synchronized int reportPort() {
    String p = System.getProperty(PORT_PROPERTY);
    if (p == null) {
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        p = String.valueOf(probe.getLocalPort());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(PORT_PROPERTY, p);
    }
    return Integer.parseInt(p);
  }

  @BeforeEach
  void data() throws Exception {
    DimseTestData.ensureLoaded();
  }

  private static final StorageCommitment.Request REQUEST =
      new StorageCommitment.Request(
          "1.2.826.0.1.3680043.10.1137.999.2",
          List.of(
              new Reference(DimseTestData.CT_CLASS, DimseTestData.CT_SOP),
              new Reference(DimseTestData.MR_CLASS, DimseTestData.MR_SOP),
              new Reference(DimseTestData.CT_CLASS, UNKNOWN),
              // the SC instance is held, but as Secondary Capture, not as CT
              new Reference(DimseTestData.CT_CLASS, DimseTestData.SC_SOP)));

  @Test
  void reportOnTheSameAssociation() throws Exception {
    try (DicomClient c = connect("COMMITSCU")) {
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
      StorageCommitment.Result r = c.awaitStorageCommitmentResult();
      assertNotNull(r, "the report comes on the requesting association while it is open");
      check(r);
      c.release();
    }
  }

  @Test
  void reportOnANewAssociationWhenTheRequestorReleased() throws Exception {
    CompletableFuture<StorageCommitment.Result> report = new CompletableFuture<>();
    DimseRegistry registry =
        new DimseRegistry()
            .registerStorageCommitmentReports((a, result) -> report.complete(result));
    try (DicomServer requestor =
        DicomServer.builder()
            .bind("127.0.0.1", reportPort())
            .applicationEntity(
                new ApplicationEntity("COMMITSCU", TransferCapability.storageCommitment()))
            .registry(registry)
            .build()
            .start()) {
      DicomClient c = connect("COMMITSCU");
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(REQUEST));
      c.release();
      check(report.get(60, TimeUnit.SECONDS));
    }
  }

  private static void check(StorageCommitment.Result r) {
    assertEquals(REQUEST.transactionUid(), r.transactionUid());
    assertEquals(
        List.of(
            new Reference(DimseTestData.CT_CLASS, DimseTestData.CT_SOP),
            new Reference(DimseTestData.MR_CLASS, DimseTestData.MR_SOP)),
        r.committed());
    assertEquals(
        List.of(
            new Failure(DimseTestData.CT_CLASS, UNKNOWN, 0x0112),
            new Failure(DimseTestData.CT_CLASS, DimseTestData.SC_SOP, 0x0119)),
        r.failed());
    assertEquals(StorageCommitment.EVENT_FAILURES, r.eventTypeId());
  }

  private DicomClient connect(String calling) throws IOException {
    return DicomClient.connect(
        "127.0.0.1",
        scp.port(),
        calling,
        "STRATA-QR",
        DicomClient.proposal().storageCommitment(),
        DicomClient.Options.DEFAULTS);
  }
}
