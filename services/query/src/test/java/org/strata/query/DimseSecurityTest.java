package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.DimseTlsFixture;
import org.strata.testkit.FindScu;
import org.strata.testkit.PlatformTestResource;

/**
 * DIMSE security of the Q/R SCP in production's mode (AuthRequiredProfile, the same application
 * start as AuthMatrixTest), with DCMTK's echoscu and findscu as the peer: DICOM TLS with client
 * certificates of a local CA (deploy/scripts/dimse-tls.sh), calling AEs accepted only from the host
 * the known-AE file registers for them, and an AE bound to its client certificate only with it.
 */
@QuarkusTest
@TestProfile(AuthRequiredProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3,keycloak"),
    restrictToAnnotatedClass = true)
class DimseSecurityTest {
  private static final String REJECTED_CALLING_AE = "Calling AE Title Not Recognized";

  @Inject QueryRetrieveServer scp;

  @TempDir Path tmp;

  private final DimseTlsFixture tls = DimseTlsFixture.get();

  @BeforeEach
  void dcmtkAndData() throws Exception {
    assertTrue(
        DimseTlsFixture.installed("echoscu") && DimseTlsFixture.installed("findscu"),
        "dcmtk missing: bash deploy/scripts/install-debian-deps.sh test");
    QidoTestData.ensureLoaded();
  }

  private DimseTlsFixture.Result tool(
      String callingAe, List<String> tlsOptions, int port, String tool, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(tool, "-aet", callingAe, "-aec", "STRATA-QR"));
    cmd.addAll(tlsOptions);
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("127.0.0.1", String.valueOf(port)));
    return DimseTlsFixture.dcmtk(cmd);
  }

  @Test
  void echoAndFindOverTlsWithAClientCertificateSeeTheTenantsStudies() throws Exception {
    DimseTlsFixture.Result echo =
        tool("TLS-CLIENT", tls.dcmtkWithClientCertificate(), scp.tlsPort(), "echoscu");
    assertEquals(0, echo.exitCode(), echo.output());

    FindScu.Answer find =
        FindScu.studies(
            scp.tlsPort(),
            "TLS-CLIENT",
            "STRATA-QR",
            tls.dcmtkWithClientCertificate(),
            tmp.resolve("find"),
            "PatientID=PAT-001");
    assertEquals(0, find.exitCode(), find.output());
    // The known AE's tenant (local): its two studies of PAT-001, not the other tenant's.
    assertEquals(List.of(S2, S1), find.studyUids(), find.output());
  }

  @Test
  void aPlainClientIsRefusedOnTheTlsPort() throws Exception {
    DimseTlsFixture.Result r = tool("TLS-CLIENT", List.of(), scp.tlsPort(), "echoscu");
    assertNotEquals(0, r.exitCode(), r.output());
    r = tool("TLS-CLIENT", List.of(), scp.port(), "echoscu");
    assertEquals(0, r.exitCode(), "the plain port takes the same AE: " + r.output());
  }

  @Test
  void aClientWithoutCertificateIsRefused() throws Exception {
    DimseTlsFixture.Result r =
        tool("TLS-CLIENT", tls.dcmtkWithoutCertificate(), scp.tlsPort(), "echoscu");
    assertNotEquals(0, r.exitCode(), r.output());
  }

  @Test
  void anAeCallingFromAnotherHostThanRegisteredOrUnknownIsRejected() throws Exception {
    for (String ae : List.of("FAR-AWAY", "STRANGER")) {
      DimseTlsFixture.Result r = tool(ae, List.of(), scp.port(), "echoscu");
      assertNotEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains(REJECTED_CALLING_AE), ae + ": " + r.output());
      r = tool(ae, tls.dcmtkWithClientCertificate(), scp.tlsPort(), "echoscu");
      assertTrue(r.output().contains(REJECTED_CALLING_AE), ae + " over TLS: " + r.output());
    }
  }

  /**
   * CERT-BOUND is registered with the client certificate (ADR 0057): findscu over TLS with it finds
   * the tenant's studies; with another CA-signed certificate (the fixture's server certificate,
   * which allows client authentication too), or over plain TCP from the registered host, the
   * association is rejected.
   */
  @Test
  void anAeRegisteredWithACertificateIsAcceptedOnlyWithThatCertificate() throws Exception {
    FindScu.Answer own =
        FindScu.studies(
            scp.tlsPort(),
            "CERT-BOUND",
            "STRATA-QR",
            tls.dcmtkWithClientCertificate(),
            tmp.resolve("own"),
            "PatientID=PAT-001");
    assertEquals(0, own.exitCode(), own.output());
    assertEquals(List.of(S2, S1), own.studyUids(), own.output());

    FindScu.Answer other =
        FindScu.studies(
            scp.tlsPort(),
            "CERT-BOUND",
            "STRATA-QR",
            tls.dcmtkWithOtherCertificate(),
            tmp.resolve("other"),
            "PatientID=PAT-001");
    assertNotEquals(0, other.exitCode(), other.output());
    assertTrue(other.output().contains(REJECTED_CALLING_AE), other.output());
    assertEquals(List.of(), other.studyUids(), other.output());

    DimseTlsFixture.Result plain = tool("CERT-BOUND", List.of(), scp.port(), "echoscu");
    assertNotEquals(0, plain.exitCode(), plain.output());
    assertTrue(plain.output().contains(REJECTED_CALLING_AE), plain.output());
  }
}
