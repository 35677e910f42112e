package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.events.InstanceStored;
import org.strata.ingest.dimse.StorageScp;
import org.strata.storage.ObjectStore;
import org.strata.testkit.DimseTlsFixture;
import org.strata.testkit.PlatformTestResource;

/**
 * DIMSE security of the storage SCP in production's mode (AuthRequiredProfile, the same application
 * start as AuthMatrixTest), with DCMTK's echoscu and storescu as the peer: DICOM TLS with client
 * certificates of a local CA (deploy/scripts/dimse-tls.sh), and calling AEs accepted only from the
 * host the known-AE file registers for them.
 */
@QuarkusTest
@TestProfile(AuthRequiredProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3,keycloak"),
    restrictToAnnotatedClass = true)
class DimseSecurityTest {
  private static final String REJECTED_CALLING_AE = "Calling AE Title Not Recognized";

  @Inject StorageScp scp;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @TempDir Path tmp;

  private final DimseTlsFixture tls = DimseTlsFixture.get();

  @BeforeEach
  void dcmtk() {
    assertTrue(
        DimseTlsFixture.installed("echoscu") && DimseTlsFixture.installed("storescu"),
        "dcmtk missing: bash deploy/scripts/install-debian-deps.sh test");
  }

  private DimseTlsFixture.Result tool(
      String tool, String callingAe, List<String> tlsOptions, int port, String... files)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(tool, "-aet", callingAe, "-aec", "STRATA"));
    cmd.addAll(tlsOptions);
    cmd.addAll(List.of("127.0.0.1", String.valueOf(port)));
    cmd.addAll(List.of(files));
    return DimseTlsFixture.dcmtk(cmd);
  }

  @Test
  void echoAndStoreOverTlsWithAClientCertificateLandInS3AndKafka() throws Exception {
    DimseTlsFixture.Result echo =
        tool("echoscu", "TLS-CLIENT", tls.dcmtkWithClientCertificate(), scp.tlsPort());
    assertEquals(0, echo.exitCode(), echo.output());

    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String sop = study + ".1.1";
    byte[] file = DicomFiles.instance(study, study + ".1", sop, "TLS", 512);
    Path f = Files.write(tmp.resolve("tls.dcm"), file);
    DimseTlsFixture.Result store =
        tool(
            "storescu",
            "TLS-CLIENT",
            tls.dcmtkWithClientCertificate(),
            scp.tlsPort(),
            f.toString());
    assertEquals(0, store.exitCode(), store.output());

    // Acknowledged, so on the topic already; the caller identity made at acceptance carried the
    // known AE's tenant and the peer's address into the event.
    List<StoredEvents.Keyed> events =
        StoredEvents.upToNow(bootstrap, x -> x.sopInstanceUid().equals(sop));
    assertEquals(1, events.size());
    InstanceStored e = events.get(0).event();
    assertEquals(AuthRequiredProfile.TENANT, e.tenant());
    assertEquals("TLS-CLIENT", e.source().callingAeTitle());
    assertEquals("127.0.0.1", e.source().remoteAddress());
    ObjectStore store3 =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    try (InputStream in = store3.get(e.objectLocation().key())) {
      byte[] stored = in.readAllBytes();
      byte[] sent = StorageScpTest.datasetOf(file);
      assertArrayEquals(sent, StorageScpTest.datasetOf(stored));
    }
  }

  @Test
  void aPlainClientIsRefusedOnTheTlsPort() throws Exception {
    DimseTlsFixture.Result r = tool("echoscu", "TLS-CLIENT", List.of(), scp.tlsPort());
    assertNotEquals(0, r.exitCode(), r.output());
    // and the same AE over plain TCP to the plain port is fine: it is the transport, not the AE
    r = tool("echoscu", "TLS-CLIENT", List.of(), scp.port());
    assertEquals(0, r.exitCode(), r.output());
  }

  @Test
  void aClientWithoutCertificateIsRefused() throws Exception {
    DimseTlsFixture.Result r =
        tool("echoscu", "TLS-CLIENT", tls.dcmtkWithoutCertificate(), scp.tlsPort());
    assertNotEquals(0, r.exitCode(), r.output());
  }

  @Test
  void anAeCallingFromAnotherHostThanRegisteredIsRejected() throws Exception {
    for (int port : new int[] {scp.port(), scp.tlsPort()}) {
      List<String> options = port == scp.port() ? List.of() : tls.dcmtkWithClientCertificate();
      DimseTlsFixture.Result r = tool("echoscu", "FAR-AWAY", options, port);
      assertNotEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains(REJECTED_CALLING_AE), r.output());
    }
  }

  /**
   * CERT-BOUND is registered with the client certificate: storescu over TLS with it stores; with
   * another CA-signed certificate (the fixture's server certificate, which allows client auth too),
   * or over plain TCP from the registered host, the association is rejected.
   */
  @Test
  void anAeRegisteredWithACertificateIsAcceptedOnlyWithThatCertificate() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    byte[] file = DicomFiles.instance(study, study + ".1", study + ".1.1", "CERT", 512);
    Path f = Files.write(tmp.resolve("cert.dcm"), file);
    DimseTlsFixture.Result own =
        tool(
            "storescu",
            "CERT-BOUND",
            tls.dcmtkWithClientCertificate(),
            scp.tlsPort(),
            f.toString());
    assertEquals(0, own.exitCode(), own.output());

    DimseTlsFixture.Result other =
        tool(
            "storescu", "CERT-BOUND", tls.dcmtkWithOtherCertificate(), scp.tlsPort(), f.toString());
    assertNotEquals(0, other.exitCode(), other.output());
    assertTrue(other.output().contains(REJECTED_CALLING_AE), other.output());

    DimseTlsFixture.Result plain =
        tool("storescu", "CERT-BOUND", List.of(), scp.port(), f.toString());
    assertNotEquals(0, plain.exitCode(), plain.output());
    assertTrue(plain.output().contains(REJECTED_CALLING_AE), plain.output());
  }

  @Test
  void unknownAesAndAesWithoutRegisteredHostAreRejectedInProduction() throws Exception {
    for (String ae : List.of("STRANGER", "NO-HOST")) {
      DimseTlsFixture.Result r = tool("echoscu", ae, List.of(), scp.port());
      assertNotEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains(REJECTED_CALLING_AE), ae + ": " + r.output());
    }
  }
}
