package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.ingest.messaging.IndexAcknowledgements;
import org.strata.testkit.PlatformTestResource;

/**
 * Read-your-writes (ADR 0010): a STOW-RS answer waits until the index has acknowledged the stored
 * instances on {@code strata.instance.indexed}. The index service is played here by the test, which
 * holds its acknowledgement until told to send it, so the test sees the order of events.
 */
@QuarkusTest
@TestProfile(StowReadYourWritesTest.Enabled.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class StowReadYourWritesTest {
  public static final class Enabled implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Profiled keys: application.properties switches the wait off for %test.
      // At most 2 instances per request: a third part is refused (413) after two were stored.
      return Map.of(
          "%test.strata.ingest.read-your-writes.enabled", "true",
          "%test.strata.ingest.read-your-writes.timeout", "8s",
          "%test.strata.ingest.max-instances-per-request", "2");
    }
  }

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @TestHTTPResource("/dicomweb/studies")
  URL stowUrl;

  @jakarta.inject.Inject IndexAcknowledgements acknowledgements;

  private StandInIndex index;

  @BeforeEach
  void startStandInIndex() throws InterruptedException {
    index = StandInIndex.start(bootstrap);
  }

  @AfterEach
  void stopStandIn() throws InterruptedException {
    index.close();
  }

  @Test
  void stowAnswersOnlyAfterTheIndexAcknowledged() throws Exception {
    String study = uid(), series = uid(), sop = uid();
    byte[] body = Multipart.of(List.of(DicomFiles.instance(study, series, sop, "RYW-1", 2048)));
    CompletableFuture<HttpResponse<String>> stow = post(stowUrl.toString(), body);

    // The object is durable and its event acknowledged: only the index acknowledgement is missing.
    InstanceStored stored = index.awaitArrival(sop);
    assertFalse(stow.isDone(), "STOW answered before the index acknowledged the instance");

    index.acknowledge(stored);
    HttpResponse<String> response = stow.get(60, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Warning").isEmpty(),
        "no warning when the index acknowledged in time");
  }

  @Test
  void aSilentIndexTurnsIntoAWarningNotAFailure() throws Exception {
    String study = uid(), series = uid(), sop = uid();
    Response response =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(Multipart.of(List.of(DicomFiles.instance(study, series, sop, "RYW-2", 2048))))
            .post("/dicomweb/studies");
    // Stored: 200, and the Warning header says that a search may not find it yet.
    assertEquals(200, response.statusCode(), response.asString());
    String warning = response.header("Warning");
    assertNotNull(warning, "a response sent before the index acknowledged must say so");
    assertTrue(warning.startsWith("299 "), warning);
    assertTrue(warning.contains("indexing pending"), warning);
    assertNotNull(index.seen(sop), "the instance is durable and its event published");
  }

  @Test
  void onlyTheInstancesOfTheRequestAreAwaited() throws Exception {
    // An acknowledgement for some other instance must not release this request.
    String study = uid(), series = uid();
    String first = uid(), second = uid();
    byte[] body =
        Multipart.of(
            List.of(
                DicomFiles.instance(study, series, first, "RYW-3", 512),
                DicomFiles.instance(study, series, second, "RYW-3", 512)));
    CompletableFuture<HttpResponse<String>> stow = post(stowUrl + "/" + study, body);
    InstanceStored a = index.awaitArrival(first);
    InstanceStored b = index.awaitArrival(second);
    index.acknowledge(a);
    index.acknowledge(otherInstanceIndexed(study, series));
    assertFalse(stow.isDone(), "released before the second instance was indexed");
    index.acknowledge(b);
    HttpResponse<String> response = stow.get(60, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Warning").isEmpty());
  }

  @Test
  void aRequestRefusedAfterSomePartsWereStoredLeavesNoWaitPending() {
    String study = uid(), series = uid();
    Response response =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(
                Multipart.of(
                    List.of(
                        DicomFiles.instance(study, series, uid(), "RYW-4", 512),
                        DicomFiles.instance(study, series, uid(), "RYW-4", 512),
                        DicomFiles.instance(study, series, uid(), "RYW-4", 512))))
            .post("/dicomweb/studies");
    assertEquals(413, response.statusCode(), response.asString());
    // The two parts stored before the refusal are never waited for: their expectations must not
    // stay behind (each refused request would leak two entries for good).
    assertEquals(0, acknowledgements.pendingCount(), "read-your-writes expectations left pending");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        java.util.regex.Pattern.compile(
                "^strata_ingest_index_acknowledgements_pending(\\{[^}]*\\})? 0(\\.0)?$",
                java.util.regex.Pattern.MULTILINE)
            .matcher(metrics)
            .find(),
        "pending expectations gauge missing or not zero");
  }

  private static CompletableFuture<HttpResponse<String>> post(String url, byte[] body) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static InstanceIndexed otherInstanceIndexed(String study, String series) {
    return new InstanceIndexed(
        UUID.randomUUID().toString(),
        Instant.now(),
        "local",
        study,
        series,
        uid(),
        UUID.randomUUID().toString());
  }

  private static String uid() {
    return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }
}
