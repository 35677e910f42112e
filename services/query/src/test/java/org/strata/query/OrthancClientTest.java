package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.DimseTestData.CT_SOP;
import static org.strata.query.DimseTestData.CT_STUDY;
import static org.strata.query.DimseTestData.SC_SOP;
import static org.strata.query.DimseTestData.SC_STUDY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.Part10File;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.OrthancPeer;
import org.strata.testkit.PlatformTestResource;

/**
 * Orthanc (Debian, with its DICOMweb plugin), a real PACS, as a client of Strata: its DICOMweb
 * client searches (QIDO-RS) and retrieves (WADO-RS) from the query service, and its DIMSE client
 * queries (C-FIND) and retrieves to itself (C-MOVE) from the Q/R SCP, which knows Orthanc's AE from
 * a known-AE file (tenant dimse; unknown callers rejected). What lands in Orthanc is compared data
 * set by data set with pydicom's sample files ({@link DimseTestData}).
 *
 * <p>Orthanc is started the way services/ingest's OrthancPushTest does it (a config file written
 * here, the Debian binary, its REST API); the few lines of start-up are duplicated, to be moved to
 * the testkit.
 */
@QuarkusTest
@TestProfile(OrthancClientTest.OrthancProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class OrthancClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Debian's orthanc package installs the server in /usr/sbin. */
  private static final String PORT_PROPERTY = "strata.test.orthanc-dicom-port";

  private static final String FILE_PROPERTY = "strata.test.orthanc-known-aes";

  /** Tenant dimse; Orthanc's AE in the known-AE file; nobody else may associate. */
  public static class OrthancProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "strata.query.default-tenant",
          DimseTestData.TENANT,
          "strata.query.dimse.known-aes-file",
          knownAesFile(),
          "strata.query.dimse.accept-unknown-aes",
          "false");
    }
  }

  static synchronized int orthancDicomPort() {
    String p = System.getProperty(PORT_PROPERTY);
    if (p == null) {
      p = String.valueOf(freePort());
      System.setProperty(PORT_PROPERTY, p);
    }
    return Integer.parseInt(p);
  }

  static synchronized String knownAesFile() {
    String f = System.getProperty(FILE_PROPERTY);
    if (f == null) {
      try {
        Path p = Files.createTempFile("known-aes", ".conf");
        p.toFile().deleteOnExit();
        Files.writeString(
            p, "ORTHANC 127.0.0.1 " + orthancDicomPort() + " " + DimseTestData.TENANT + "\n");
        f = p.toString();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(FILE_PROPERTY, f);
    }
    return f;
  }

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Inject QueryRetrieveServer scp;

  @BeforeEach
  void data() throws Exception {
    assumeTrue(Files.isExecutable(OrthancPeer.EXECUTABLE), "orthanc missing");
    assumeTrue(Files.exists(OrthancPeer.DICOMWEB_PLUGIN), "orthanc-dicomweb missing");
    DimseTestData.ensureLoaded();
  }

  @Test
  void orthancSearchesAndRetrievesOverDicomwebAndDimse() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "orthanc-client-");
    try (OrthancPeer orthanc =
        OrthancPeer.start(
            dir, orthancDicomPort(), "STRATA-QR", scp.port(), io.restassured.RestAssured.port)) {
      String base = orthanc.url();

      // QIDO-RS through Orthanc's DICOMweb client: the studies of QR-001, newest first.
      JsonNode studies =
          post(
              base + "/dicom-web/servers/strata/get",
              "{\"Uri\": \"/studies\", \"Arguments\": {\"PatientID\": \"QR-001\","
                  + " \"includefield\": \"StudyDescription\"}}");
      List<String> uids = new ArrayList<>();
      for (JsonNode s : studies) {
        uids.add(s.at("/0020000D/Value/0").asText());
      }
      assertEquals(List.of(SC_STUDY, CT_STUDY), uids, studies.toString());

      // WADO-RS retrieve of the CT study into Orthanc.
      post(
          base + "/dicom-web/servers/strata/retrieve",
          "{\"Resources\": [{\"Study\": \"" + CT_STUDY + "\"}]}");
      assertReceived(base, dir, Set.of(CT_SOP));
      deleteAll(base);
      assertEquals(0, get(base + "/instances").size());

      // C-FIND from Orthanc (its AE ORTHANC is known: tenant dimse).
      JsonNode query =
          post(
              base + "/modalities/strata/query",
              "{\"Level\": \"Study\", \"Query\": {\"PatientID\": \"QR-001\","
                  + " \"StudyInstanceUID\": \"\"}}");
      String queryId = query.path("ID").asText();
      JsonNode answers = get(base + "/queries/" + queryId + "/answers");
      Set<String> found = new TreeSet<>();
      for (JsonNode a : answers) {
        found.add(
            get(base + "/queries/" + queryId + "/answers/" + a.asText() + "/content?simplify")
                .path("StudyInstanceUID")
                .asText());
      }
      assertEquals(new TreeSet<>(Set.of(CT_STUDY, SC_STUDY)), found, answers.toString());

      // C-MOVE of every answer to Orthanc itself: both studies land in Orthanc, as stored.
      post(
          base + "/queries/" + queryId + "/retrieve",
          "{\"TargetAet\": \"ORTHANC\", \"Synchronous\": true}");
      assertReceived(base, dir, Set.of(CT_SOP, SC_SOP));
    }
  }

  /**
   * Orthanc holds exactly these instances, each with the data set of its sample file byte for byte
   * (Orthanc writes its own file meta group).
   */
  private void assertReceived(String base, Path dir, Set<String> sops) throws Exception {
    Map<String, byte[]> received = new TreeMap<>();
    for (JsonNode id : get(base + "/instances")) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/instances/" + id.asText() + "/file"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      Path f = Files.write(dir.resolve(id.asText() + ".dcm"), r.body());
      Part10File p = Part10File.read(f);
      try (InputStream in = p.openDataset()) {
        received.put(p.sopInstanceUid(), in.readAllBytes());
      }
    }
    assertEquals(new TreeSet<>(sops), received.keySet());
    for (String sop : sops) {
      Part10File sample =
          Part10File.read(WadoTestData.SAMPLES.resolve(DimseTestData.FILES.get(sop)));
      try (InputStream in = sample.openDataset()) {
        assertArrayEquals(in.readAllBytes(), received.get(sop), sop);
      }
    }
  }

  private void deleteAll(String base) throws Exception {
    for (JsonNode id : get(base + "/studies")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/studies/" + id.asText())).DELETE().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    }
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private JsonNode post(String url, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
