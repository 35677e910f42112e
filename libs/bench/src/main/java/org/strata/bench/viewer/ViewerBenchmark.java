package org.strata.bench.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.strata.bench.ingest.OrthancServer;
import org.strata.bench.query.StowStream;
import org.strata.platform.Component;
import org.strata.platform.DicomwebProxy;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench viewer} (issue 20, item 5): the OHIF build that {@code make run} serves, in
 * headless Debian Chromium, opening a synthetic 300-slice CT (512 x 512, 16 bits) and a one-slice
 * study (the viewer's own floor), from Strata and from Orthanc in the same run. Both servers sit
 * behind the same nginx configuration ({@code deploy/nginx/strata.conf.template}) serving the same
 * viewer files at {@code /} and the server at {@code /dicomweb}; only the viewer's configuration
 * differs: Strata's signs in through Keycloak (reader-a, tenant hospital-a; the studies are stored
 * by writer-a with STOW-RS), Orthanc's has no sign-in. The browser part is {@code
 * src/main/js/viewer-first-image.mjs}: time from clicking "Basic Viewer" to the first image on the
 * canvas, with the HTTP cache off.
 *
 * <p>{@code STRATA_BENCH_VIEWER_REPETITIONS} (5) timed opens per server and study after the first
 * open, which is reported on its own (the servers' caches are cold then); {@code
 * STRATA_BENCH_VIEWER_SLICES} (300); {@code STRATA_BENCH_VIEWER_SETTLE_MS} (3000): the pause
 * between two opens, after the previous page was left, for the servers' background work to end;
 * {@code STRATA_BENCH_VIEWER_WARMUP_ROUNDS} (10): rounds of series metadata and frames of a third,
 * 50-slice study on both servers before any timed open; {@code STRATA_BENCH_VIEWER_FLIP} (0): 1
 * swaps which server goes first in every round.
 */
public final class ViewerBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITER = "writer-a";
  private static final String READER = "reader-a";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ViewerBenchmark() {}

  public static void run(
      Path work, Path dist, Path realm, Path indexJar, Path ingestJar, Path queryJar)
      throws Exception {
    int repetitions = env("STRATA_BENCH_VIEWER_REPETITIONS", 5);
    int slices = env("STRATA_BENCH_VIEWER_SLICES", 300);
    Path dir = Files.createDirectories(work.resolve("viewer"));
    Path ohif = Path.of("target", "ohif").toAbsolutePath();
    Path npm = Files.createDirectories(Path.of("target", "viewer-bench-npm").toAbsolutePath());
    command(
        Path.of("").toAbsolutePath(),
        List.of("deploy/scripts/fetch-ohif.sh", ohif.toString()),
        Map.of());
    Files.copy(
        Path.of("deploy/viewer-test/package.json"),
        npm.resolve("package.json"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        Path.of("deploy/viewer-test/src/test/js/headless-chromium.mjs"),
        npm.resolve("headless-chromium.mjs"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        Path.of("libs/bench/src/main/js/viewer-first-image.mjs"),
        npm.resolve("viewer-first-image.mjs"),
        StandardCopyOption.REPLACE_EXISTING);
    command(
        npm,
        List.of(
            "npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--prefer-offline"),
        Map.of());

    long t0 = System.nanoTime();
    SyntheticCt.Study big = SyntheticCt.study("Threehundred", slices, 20);
    SyntheticCt.Study one = SyntheticCt.study("Single", 1, 1);
    SyntheticCt.Study warm = SyntheticCt.study("Warmup", 50, 30);
    System.out.printf(
        "generated %d + 1 slices (%.0f MB) in %.1f s%n",
        slices, big.bytes() / 1e6, (System.nanoTime() - t0) / 1e9);

    String loadBefore = loadAverage();
    int strataPort = freePort();
    int orthancProxyPort = freePort();
    PlatformConfig config =
        PlatformConfig.forTests(
            dir.resolve("platform"),
            dist,
            viewerRealm(realm, dir, strataPort),
            EnumSet.of(Component.KAFKA, Component.POSTGRES, Component.S3, Component.KEYCLOAK));
    List<ServiceProcess> services = new ArrayList<>();
    List<DicomwebProxy> proxies = new ArrayList<>();
    try (Platform platform = Platform.start(config);
        OrthancServer orthanc =
            OrthancServer.start(dir.resolve("orthanc"), freePort(), freePort(), "/dicomweb/")) {
      Map<String, String> env = new LinkedHashMap<>(platform.addresses());
      DicomwebProxy strataProxy = proxy(strataPort);
      env.put("STRATA_AUTH", "required");
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.query.dimse.port", Integer.toString(freePort()));
      env.put("strata.ingest.public-base-url", strataProxy.baseUrl());
      env.put("strata.query.retrieve-base-url", strataProxy.baseUrl());
      // Index first: it migrates the schema query reads.
      for (var service :
          List.of(
              new ServiceProcess("index", freePort(), indexJar),
              new ServiceProcess("ingest", freePort(), ingestJar),
              new ServiceProcess("query", freePort(), queryJar))) {
        services.add(service);
        service.start(dir, env);
      }
      proxies.add(strataProxy);
      strataProxy.start(
          dir.resolve("strata-nginx"),
          hostPort(services.get(1).url()),
          hostPort(services.get(2).url()),
          Optional.of(
              new DicomwebProxy.Viewer(
                  ohif.resolve("dist"),
                  Path.of("deploy/ohif/app-config.js").toAbsolutePath(),
                  platform.oidcIssuer())));
      DicomwebProxy orthancProxy = proxy(orthancProxyPort);
      proxies.add(orthancProxy);
      orthancProxy.start(
          dir.resolve("orthanc-nginx"),
          hostPort(orthanc.url()),
          hostPort(orthanc.url()),
          Optional.of(
              new DicomwebProxy.Viewer(
                  ohif.resolve("dist"), withoutSignIn(dir), platform.oidcIssuer())));

      String issuer = platform.oidcIssuer();
      long stored = System.nanoTime();
      for (SyntheticCt.Study study : List.of(big, one, warm)) {
        stow(strataProxy.baseUrl(), token(issuer, WRITER), study);
        for (byte[] file : study.files()) {
          send(
              HttpRequest.newBuilder(URI.create(orthanc.url() + "/instances"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                  .build(),
              "Orthanc store");
        }
      }
      awaitIndexed(strataProxy.baseUrl(), issuer, big);
      awaitIndexed(strataProxy.baseUrl(), issuer, one);
      awaitIndexed(strataProxy.baseUrl(), issuer, warm);
      // The servers as a viewer finds them after running a while (Strata's JVMs compiled, not a
      // fresh start's interpreter), without touching the timed studies: "first open" then means
      // the study is cold, not the service. Orthanc gets the same requests.
      int rounds = env("STRATA_BENCH_VIEWER_WARMUP_ROUNDS", 10);
      long warming = System.nanoTime();
      String reader = token(issuer, READER);
      List<String[]> warmInstances = instances(strataProxy.baseUrl(), reader, warm);
      warmUp(strataProxy.baseUrl(), reader, warm, warmInstances, rounds);
      warmUp(orthanc.url() + "/dicomweb", null, warm, warmInstances, rounds);
      System.out.printf(
          "servers warmed on another study of %d slices (%d rounds of its series metadata and"
              + " frames): %.0f s%n",
          warm.files().size(), rounds, (System.nanoTime() - warming) / 1e9);
      System.out.printf(
          "stored in Strata (STOW-RS, 10 per request, as %s) and Orthanc (REST), indexed: %.0f"
              + " s%n",
          WRITER, (System.nanoTime() - stored) / 1e9);

      Path out = dir.resolve("viewer-runs.json");
      Path shots = Files.createDirectories(dir.resolve("screenshots"));
      Map<String, String> browserEnv = new LinkedHashMap<>();
      browserEnv.put("CHROMIUM", "/usr/bin/chromium");
      browserEnv.put("OUT", out.toString());
      browserEnv.put("SHOTS", shots.toString());
      browserEnv.put("REPETITIONS", Integer.toString(repetitions));
      browserEnv.put("SETTLE_MS", Integer.toString(env("STRATA_BENCH_VIEWER_SETTLE_MS", 3000)));
      browserEnv.put(
          "SERVERS",
          JSON.writeValueAsString(
              List.of(
                  Map.of("name", "strata", "url", strataProxy.url(), "user", READER),
                  Map.of("name", "orthanc", "url", orthancProxy.url()))));
      browserEnv.put(
          "STUDIES",
          JSON.writeValueAsString(
              List.of(
                  Map.of("name", "ct" + slices, "marker", big.marker()),
                  Map.of("name", "one", "marker", one.marker()))));
      browserEnv.put("FLIP", Integer.toString(env("STRATA_BENCH_VIEWER_FLIP", 0)));
      browserEnv.put(
          "WARMUP_STUDY",
          JSON.writeValueAsString(Map.of("name", "warmup", "marker", warm.marker())));
      long browser = System.nanoTime();
      command(npm, List.of("node", "viewer-first-image.mjs"), browserEnv);
      System.out.printf(
          "browser runs: %.0f s; screenshots in %s%n", (System.nanoTime() - browser) / 1e9, shots);
      ViewerFigures.print(
          JSON.readTree(out.toFile()).path("runs"),
          "ct" + slices,
          slices,
          big.bytes(),
          loadBefore,
          loadAverage());
    } finally {
      proxies.reversed().forEach(DicomwebProxy::stop);
      services.reversed().forEach(ServiceProcess::stop);
    }
  }

  private static DicomwebProxy proxy(int port) {
    return DicomwebProxy.find(
            System.getenv("STRATA_NGINX"),
            Path.of("deploy/nginx/strata.conf.template").toAbsolutePath(),
            port)
        .orElseThrow(() -> new IllegalStateException("nginx is not installed (make deps-test)"));
  }

  /** The realm with the bench's viewer origin among strata-viewer's redirect URIs. */
  private static Path viewerRealm(Path realm, Path dir, int port) throws IOException {
    String text = Files.readString(realm);
    int client = text.indexOf("\"clientId\": \"strata-viewer\"");
    String registered = "\"http://127.0.0.1:8080/*\"";
    int at = text.indexOf(registered, client);
    if (client < 0 || at < 0) {
      throw new IllegalStateException(realm + ": strata-viewer no longer registers " + registered);
    }
    String changed =
        text.substring(0, at) + "\"http://127.0.0.1:" + port + "/*\", " + text.substring(at);
    Path copy = dir.resolve("strata-realm.json");
    Files.writeString(copy, changed);
    return copy;
  }

  /** Strata's app-config.js without the sign-in: the Orthanc side's viewer configuration. */
  private static Path withoutSignIn(Path dir) throws IOException {
    String text = Files.readString(Path.of("deploy/ohif/app-config.js"));
    String changed = text.replaceFirst("(?s)\n  oidc: \\[.*?\n  \\],\n", "\n");
    if (changed.equals(text)) {
      throw new IllegalStateException("deploy/ohif/app-config.js: no oidc block to remove");
    }
    Path copy = dir.resolve("app-config-orthanc.js");
    Files.writeString(copy, changed);
    return copy;
  }

  /** STOW-RS of the study, 10 instances per request, one client. */
  private static void stow(String baseUrl, String token, SyntheticCt.Study study) throws Exception {
    List<byte[]> files = study.files();
    int requests = (files.size() + 9) / 10;
    StowStream.Result result =
        StowStream.stow(
            baseUrl + "/studies",
            requests,
            r -> files.subList(r * 10, Math.min(files.size(), r * 10 + 10)),
            1,
            "Bearer " + token);
    if (result.failedRequests() > 0) {
      throw new IllegalStateException(
          "STOW-RS of " + study.marker() + ": " + result.failedRequests() + " requests failed");
    }
  }

  /** Waits (ceiling 5 min, a hang guard) until QIDO-RS lists every instance of the study. */
  /** The series and SOP Instance UIDs of a study's instances, by QIDO-RS. */
  private static List<String[]> instances(String baseUrl, String token, SyntheticCt.Study study)
      throws Exception {
    List<String[]> out = new ArrayList<>();
    for (JsonNode i : qidoInstances(baseUrl, token, study)) {
      out.add(
          new String[] {
            i.path("0020000E").path("Value").path(0).asText(),
            i.path("00080018").path("Value").path(0).asText()
          });
    }
    return out;
  }

  /** The study's instances as QIDO-RS lists them (an empty array unless it answers 200). */
  private static JsonNode qidoInstances(String baseUrl, String token, SyntheticCt.Study study)
      throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(baseUrl + "/studies/" + study.uid() + "/instances?limit=1000"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/dicom+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createArrayNode();
  }

  /** {@code rounds} times the series metadata and every frame of {@code study}. */
  private static void warmUp(
      String baseUrl, String token, SyntheticCt.Study study, List<String[]> instances, int rounds)
      throws Exception {
    for (int r = 0; r < rounds; r++) {
      String series = instances.getFirst()[0];
      String prefix = baseUrl + "/studies/" + study.uid() + "/series/" + series;
      warmGet(prefix + "/metadata", token, "application/dicom+json");
      for (String[] i : instances) {
        warmGet(
            baseUrl
                + "/studies/"
                + study.uid()
                + "/series/"
                + i[0]
                + "/instances/"
                + i[1]
                + "/frames/1",
            token,
            "multipart/related; type=\"application/octet-stream\"");
      }
    }
  }

  private static void warmGet(String url, String token, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("warm-up " + url + " answered " + response.statusCode());
    }
  }

  private static void awaitIndexed(String baseUrl, String issuer, SyntheticCt.Study study)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String token = token(issuer, READER);
    int found = -1;
    while (System.nanoTime() < deadline) {
      found = qidoInstances(baseUrl, token, study).size();
      if (found == study.files().size()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "Strata indexed " + found + " of " + study.files().size() + " instances in 5 minutes");
  }

  /** A realm user's access token (password = user name) through the strata-test client. */
  private static String token(String issuer, String user) throws Exception {
    String form =
        "grant_type=password&client_id=strata-test&client_secret=strata-test-secret&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(user, StandardCharsets.UTF_8);
    String body =
        send(
            HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            "token of " + user);
    return JSON.readTree(body).path("access_token").asText();
  }

  private static String send(HttpRequest request, String what) throws Exception {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          what + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  /** Runs a tool in {@code dir} to its end (ceiling 30 min, a hang guard); fails otherwise. */
  private static void command(Path dir, List<String> command, Map<String, String> env)
      throws Exception {
    Path log = Files.createTempFile("strata-bench-viewer", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean ended = process.waitFor(30, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    Files.delete(log);
    if (!ended || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  private static String hostPort(String url) {
    return url.replaceFirst("^http://", "");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static int env(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
