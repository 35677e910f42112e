package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.ingest.dimse.StorageScp;
import org.strata.storage.ObjectStore;
import org.strata.testkit.OrthancPeer;
import org.strata.testkit.PlatformTestResource;

/**
 * Orthanc (Debian), a real PACS, pushes into Strata: C-STORE to the storage AE, and STOW-RS through
 * its DICOMweb plugin. What Orthanc sends arrives whole.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class OrthancPushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Inject StorageScp scp;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @Test
  void orthancStoresIntoStrataOverDimseAndStowRs() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "orthanc-");
    try (OrthancPeer orthanc =
        OrthancPeer.start(dir, 0, "STRATA", scp.port(), io.restassured.RestAssured.port)) {
      String base = orthanc.url();
      String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
      byte[] viaDimse = DicomFiles.instance(study, study + ".1", study + ".1.1", "ORTH", 8192);
      byte[] viaStow = DicomFiles.instance(study, study + ".2", study + ".2.1", "ORTH", 8192);

      String dimseId = upload(base, viaDimse);
      JsonNode stored =
          post(base + "/modalities/strata/store", "{\"Resources\":[\"" + dimseId + "\"]}");
      assertEquals(0, stored.path("FailedInstancesCount").asInt(), stored.toString());

      String stowId = upload(base, viaStow);
      JsonNode stowed =
          post(base + "/dicom-web/servers/strata/stow", "{\"Resources\":[\"" + stowId + "\"]}");
      assertTrue(stowed.isObject() || stowed.isArray(), stowed.toString());

      ObjectStore store =
          ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
      // Over DIMSE the data set is what Orthanc sent behind our file meta group: compare data sets.
      try (InputStream in =
          store.get("local/" + study + "/" + study + ".1/" + study + ".1.1.dcm")) {
        assertArrayEquals(
            StorageScpTest.datasetOf(viaDimse), StorageScpTest.datasetOf(in.readAllBytes()));
      }
      // Over STOW-RS Orthanc sends its stored Part 10 file: compare data sets too (Orthanc writes
      // its own file meta group).
      try (InputStream in =
          store.get("local/" + study + "/" + study + ".2/" + study + ".2.1.dcm")) {
        assertArrayEquals(
            StorageScpTest.datasetOf(viaStow), StorageScpTest.datasetOf(in.readAllBytes()));
      }
    }
  }

  private String upload(String base, byte[] file) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/instances"))
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("ID").asText();
  }

  private JsonNode post(String url, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return JSON.readTree(r.body());
  }
}
