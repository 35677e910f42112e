package org.strata.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.strata.platform.Component;
import org.strata.platform.DicomwebProxy;
import org.strata.platform.Platform;
import org.strata.platform.ServiceProcess;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.auth.KeycloakTokens;

/**
 * The OHIF viewer as {@code make run} ships it (issue 15, item 5): the real platform, the packaged
 * ingest, index and query in the required auth mode, and nginx serving the viewer beside the
 * DICOMweb base URL. Tenant A's writer and tenant B's writer each store a study; headless Debian
 * Chromium (npm playwright-core, {@code src/test/js/viewer-session.mjs}) signs in on Keycloak's own
 * login page as reader-a, opens tenant A's study and reads the first image's pixels back, outlives
 * its access token (the viewer's client gets 65-second tokens here) and queries again, then signs
 * in as reader-b. One browser run; each test below asserts one thing it recorded. About 5 minutes
 * on a loaded 2-core machine: ~3 to start the platform, services and nginx, ~2 in the browser (one
 * of them waiting out the first access token).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerSignInIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("strata.root", "../..")).normalize();
  private static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

  /**
   * Tenant A's study (pydicom's CT_small.dcm, Patient's Name CompressedSamples^CT1) and tenant B's
   * (MR_small.dcm, CompressedSamples^MR1); the marker is what only that study's row shows.
   */
  private static final Study STUDY_A = new Study("CT_small.dcm", "CT1");

  private static final Study STUDY_B = new Study("MR_small.dcm", "MR1");

  /**
   * The viewer client's access-token lifespan here: longer than the viewer's 60-second renewal
   * margin, so it renews about 5 s after each token rather than in a loop.
   */
  private static final int VIEWER_TOKEN_SECONDS = 65;

  private record Study(String file, String marker) {}

  private final List<ServiceProcess> services = new ArrayList<>();
  private DicomwebProxy proxy;
  private Platform platform;
  private JsonNode readerA;
  private JsonNode readerB;

  @BeforeAll
  void startEverythingAndDriveTheBrowser() throws Exception {
    long t0 = System.nanoTime();
    Path work =
        Files.createDirectories(
            Path.of("target", "viewer-" + ProcessHandle.current().pid()).toAbsolutePath());
    platform = SharedPlatform.require(EnumSet.allOf(Component.class));
    Path ohif = Path.of("target", "ohif").toAbsolutePath();
    Commands.run(
        work, List.of(ROOT.resolve("deploy/scripts/fetch-ohif.sh").toString(), ohif.toString()));
    Path npm = Files.createDirectories(Path.of("target", "npm").toAbsolutePath());
    Files.copy(Path.of("package.json"), npm.resolve("package.json"), REPLACE);
    Files.copy(
        Path.of("src/test/js/viewer-session.mjs"), npm.resolve("viewer-session.mjs"), REPLACE);
    Files.copy(
        Path.of("src/test/js/headless-chromium.mjs"),
        npm.resolve("headless-chromium.mjs"),
        REPLACE);
    Commands.run(
        npm,
        List.of(
            "npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--prefer-offline"));

    int port = freePort();
    // As a deployment registers its viewer's URL (the realm has make run's :8080), and the short
    // token lifespan of this test.
    new KeycloakAdmin(platform.keycloakUrl())
        .updateClient(
            "strata",
            "strata-viewer",
            client -> {
              ((ArrayNode) client.get("redirectUris")).add("http://127.0.0.1:" + port + "/*");
              ((ObjectNode) client.get("attributes"))
                  .put("access.token.lifespan", Integer.toString(VIEWER_TOKEN_SECONDS));
            });
    proxy =
        DicomwebProxy.find("", ROOT.resolve("deploy/nginx/strata.conf.template"), port)
            .orElseThrow(() -> new AssertionError("nginx is not installed (make deps-test)"));
    Map<String, String> env = new LinkedHashMap<>(platform.addresses());
    env.put("STRATA_AUTH", "required");
    env.put("strata.ingest.dimse.port", "" + freePort());
    env.put("strata.query.dimse.port", "" + freePort());
    env.put("strata.ingest.public-base-url", proxy.baseUrl());
    env.put("strata.query.retrieve-base-url", proxy.baseUrl());
    // Index first: it migrates the schema query reads.
    for (String name : List.of("index", "ingest", "query")) {
      ServiceProcess service =
          new ServiceProcess(
                  name,
                  freePort(),
                  ROOT.resolve("services/" + name + "/target/quarkus-app/quarkus-run.jar"))
              .maxHeap("384m");
      services.add(service);
      service.start(work, env);
    }
    proxy.start(
        work,
        hostPort(services.get(1)),
        hostPort(services.get(2)),
        Optional.of(
            new DicomwebProxy.Viewer(
                ohif.resolve("dist"),
                ROOT.resolve("deploy/ohif/app-config.js"),
                platform.oidcIssuer())));

    KeycloakTokens tokens = new KeycloakTokens(platform.oidcIssuer());
    Stow stow = new Stow(proxy.baseUrl());
    stow.store(tokens.user("writer-a"), SAMPLES.resolve("test_files").resolve(STUDY_A.file()));
    stow.store(tokens.user("writer-b"), SAMPLES.resolve("test_files").resolve(STUDY_B.file()));
    long ready = System.nanoTime();

    Path out = work.resolve("viewer-session.json");
    Path shots = Files.createDirectories(work.resolve("screenshots"));
    Map<String, String> browserEnv = new LinkedHashMap<>();
    browserEnv.put("VIEWER_URL", proxy.url());
    browserEnv.put("CHROMIUM", "/usr/bin/chromium");
    browserEnv.put("OUT", out.toAbsolutePath().toString());
    browserEnv.put("SHOTS", shots.toAbsolutePath().toString());
    browserEnv.put("USER_1", "reader-a");
    browserEnv.put("MARKER_1", STUDY_A.marker());
    browserEnv.put("USER_2", "reader-b");
    browserEnv.put("MARKER_2", STUDY_B.marker());
    String log = Commands.run(npm, List.of("node", "viewer-session.mjs"), browserEnv);
    JsonNode sessions = JSON.readTree(out.toFile()).path("sessions");
    assertEquals(2, sessions.size(), "the browser script recorded both sessions:\n" + log);
    readerA = sessions.get(0);
    readerB = sessions.get(1);
    System.out.printf(
        "ViewerSignInIT: platform, services, viewer and studies ready in %.0f s, browser sessions"
            + " %.0f s; screenshots in %s%n",
        (ready - t0) / 1e9, (System.nanoTime() - ready) / 1e9, shots.toAbsolutePath());
  }

  @AfterAll
  void stop() {
    if (proxy != null) {
      proxy.stop();
    }
    services.reversed().forEach(ServiceProcess::stop);
  }

  @Test
  void signInIsKeycloaksOwnLoginPageWithPkce() {
    assertEquals(
        platform.oidcIssuer() + "/protocol/openid-connect/auth",
        readerA.path("loginPage").asText(),
        readerA.toString());
    JsonNode query = readerA.path("loginQuery");
    assertEquals("strata-viewer", query.path("client_id").asText());
    assertEquals("code", query.path("response_type").asText());
    assertEquals("S256", query.path("code_challenge_method").asText());
    assertFalse(query.path("code_challenge").asText().isEmpty());
  }

  @Test
  void readerASeesTenantAsStudy() {
    assertTrue(readerA.path("studyList").asText().contains(STUDY_A.marker()), readerA.toString());
  }

  /** Needs tenant scoping from the token (issue 15, item 2). */
  @Test
  void readerADoesNotSeeTenantBsStudy() {
    assertTrue(readerA.path("studyList").asText().contains(STUDY_A.marker()), readerA.toString());
    assertFalse(
        readerA.path("studyList").asText().contains(STUDY_B.marker()),
        "reader-a's study list shows tenant B's study:\n" + readerA.path("studyList").asText());
  }

  @Test
  void theFirstImageIsDrawn() {
    List<JsonNode> canvases =
        StreamSupport.stream(readerA.path("canvases").spliterator(), false).toList();
    assertTrue(
        canvases.stream()
            .anyMatch(
                c -> c.path("litPixels").asInt() > 0 && c.path("distinctColours").asInt() > 16),
        "no canvas holds an image: " + canvases + "; browser error: " + readerA.path("error"));
  }

  @Test
  void everyDicomwebCallCarriesTheBearerTokenAndSucceeds() {
    for (JsonNode session : List.of(readerA, readerB)) {
      JsonNode calls = session.path("dicomweb");
      assertFalse(calls.isEmpty(), "no DICOMweb call from the viewer: " + session);
      for (JsonNode call : calls) {
        assertTrue(call.path("bearer").asBoolean(), "a call without a bearer token: " + call);
        assertTrue(call.path("status").asInt() < 400, "a failed call: " + call);
      }
    }
  }

  @Test
  void theViewerKeepsWorkingPastTokenExpiry() {
    assertNull(readerA.get("error"), () -> readerA.toString());
    long firstExpiry = readerA.path("firstTokenExpiry").asLong();
    long backAt = readerA.path("backAt").asLong();
    assertTrue(backAt > firstExpiry * 1000, "the study list was queried again only after expiry");
    List<JsonNode> after =
        StreamSupport.stream(readerA.path("dicomweb").spliterator(), false)
            .filter(c -> c.path("at").asLong() >= backAt)
            .toList();
    assertFalse(after.isEmpty(), "no DICOMweb call after the first token expired: " + readerA);
    for (JsonNode call : after) {
      assertEquals(200, call.path("status").asInt(), call.toString());
      assertTrue(
          call.path("tokenExpiry").asLong() > firstExpiry,
          "a call after expiry did not carry a renewed token: " + call);
    }
    assertTrue(readerA.path("studyListAfterExpiry").asText().contains(STUDY_A.marker()));
  }

  /** Needs tenant scoping from the token (issue 15, item 2). */
  @Test
  void readerBSeesTheOtherList() {
    assertNull(readerB.get("error"), () -> readerB.toString());
    String list = readerB.path("studyList").asText();
    assertTrue(list.contains(STUDY_B.marker()), readerB.toString());
    assertFalse(
        list.contains(STUDY_A.marker()), "reader-b's study list shows tenant A's study:\n" + list);
  }

  private static final java.nio.file.CopyOption REPLACE =
      java.nio.file.StandardCopyOption.REPLACE_EXISTING;

  private static String hostPort(ServiceProcess service) {
    return service.url().substring("http://".length());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
