package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.images.ServiceImage;
import org.strata.images.ServiceSpec;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.DimseTlsFixture;
import org.strata.testkit.UsesPlatform;
import org.strata.testkit.auth.KeycloakTokens;

/**
 * The chart's configuration is the services' real configuration (issue 19, item 3): the chart is
 * rendered against the embedded platform's addresses, and each packaged service is started with
 * exactly its Deployment's environment (the image's, then the container's, Secrets resolved) and
 * its mounted ConfigMaps, then must become ready. A property no service reads fails the test.
 *
 * <p>What a pod would have and a test process cannot, is translated and nothing else: container
 * paths live under a scratch root (a property naming a mounted file is pointed there, and that file
 * must exist), and listeners bind loopback on free ports instead of 0.0.0.0:8080.
 */
@UsesPlatform({
  Component.KAFKA,
  Component.POSTGRES,
  Component.S3,
  Component.S3_COLD,
  Component.KEYCLOAK
})
class ChartConfigurationIT {

  /** Prefixes of validated @ConfigMapping interfaces: SmallRye refuses keys they do not declare. */
  private static final Map<String, List<String>> VALIDATED_PREFIXES =
      Map.of(
          "ingest", List.of("strata.ingest.", "strata.derivatives."),
          "index", List.of("strata.index."),
          "query", List.of("strata.query."),
          "storage-tiering", List.of("strata.tiering."),
          "routing", List.of("strata.routing."),
          "audit", List.of("strata.audit."));

  /** Services reading every storage tier (libs/storage Tiers: raw keys, not a mapping). */
  private static final Set<String> TIER_READERS = Set.of("query", "routing", "storage-tiering");

  /** The keys Tiers.from reads. */
  private static final java.util.regex.Pattern TIER_KEY =
      java.util.regex.Pattern.compile(
          "strata\\.s3\\.tiers?|strata\\.s3\\.tiers\\.[a-z0-9-]+\\."
              + "(bucket|endpoint|access-key|secret-key|retrieval|retrieval-delay)");

  /** Longest wait for a service to become ready: a hang guard, not a speed assertion. */
  private static final Duration READY_WITHIN = Duration.ofMinutes(4);

  @Test
  void everyServiceStartsReadyWithTheRenderedConfiguration(Platform platform, @TempDir Path work)
      throws Exception {
    int ingestDimse = freePort();
    int queryDimse = freePort();
    int ingestTls = freePort();
    int queryTls = freePort();
    int routingCommitment = freePort();
    assertTrue(DimseTlsFixture.installed("echoscu"), "DCMTK's echoscu (make deps-test)");
    DimseTlsFixture tls = DimseTlsFixture.get();
    // audit.syslog's repository: a syslog/TLS receiver with the local CA's server certificate.
    SyslogReceiver syslog = new SyslogReceiver(tls);
    URI jdbc = URI.create(platform.jdbcUrl("strata").substring("jdbc:".length()));
    String values =
        """
        oidc: {authServerUrl: "%s"}
        kafka: {bootstrapServers: "%s"}
        postgresql: {host: "%s", port: %d, database: strata, existingSecret: test-db}
        s3:
          endpoint: "%s"
          existingSecret: test-s3
          tiers:
            - {name: cold, bucket: strata-cold, endpoint: "%s", existingSecret: test-s3-cold}
        publicUrls: {dicomweb: "https://pacs.example.org/dicomweb", fhir: "https://pacs.example.org/fhir"}
        knownAes:
          - {aeTitle: CT01, tenant: hosp-a}
          - {aeTitle: VIEWER, host: 127.0.0.1, port: 11112, tenant: hosp-a}
          - {aeTitle: BOUND, host: 127.0.0.1, tenant: hosp-a, certificateSha256: "%s", labels: [cardiology]}
        ingest:
          dimse: {port: %d, tls: {enabled: true, port: %d, existingSecret: test-dimse-tls}}
          defaultTenant: hosp-a
        query:
          dimse: {port: %d, tls: {enabled: true, port: %d, existingSecret: test-dimse-tls}}
        storageTiering:
          policies:
            rules:
              - {name: ct-to-cold, enabled: false, modality: CT, since: study-date, olderThan: P2Y, toTier: cold}
        audit:
          enabled: true
          signingKey:
            existingSecret: test-audit-key
            previousPublicKeys: [%s, %s]
          syslog: {host: 127.0.0.1, port: %d, existingSecret: test-audit-syslog}
        routing:
          commitment: {enabled: true, port: %d}
          rules:
            destinations: [{name: viewer, dimse: {aeTitle: VIEWER}}]
            rules:
              - {id: ct-to-viewer, enabled: true, when: "modality == 'CT'", trigger: STUDY,
                 quietPeriod: PT60S, destination: viewer}
        """
            .formatted(
                platform.oidcIssuer(),
                platform.kafkaBootstrapServers(),
                jdbc.getHost(),
                jdbc.getPort(),
                platform.s3Endpoint(),
                platform.s3ColdEndpoint(),
                tls.clientCertificateSha256(),
                ingestDimse,
                ingestTls,
                queryDimse,
                queryTls,
                jsonString(ed25519Pem(false)),
                jsonString(ed25519Pem(false)),
                syslog.port(),
                routingCommitment);
    Path valuesFile = Files.writeString(work.resolve("values.yaml"), values);
    List<HasMetadata> objects = StrictManifests.parse(Chart.render(valuesFile));

    Map<String, Map<String, byte[]>> secrets =
        Map.of(
            "test-db",
                utf8(
                    Map.of(
                        "username",
                        platform.postgresUser(),
                        "password",
                        platform.postgresPassword())),
            "test-s3",
                utf8(
                    Map.of(
                        "access-key", platform.config().s3AccessKey(),
                        "secret-key", platform.config().s3SecretKey())),
            "test-s3-cold",
                utf8(
                    Map.of(
                        "access-key", platform.config().s3AccessKey(),
                        "secret-key", platform.config().s3SecretKey())),
            "test-dimse-tls", dimseTlsSecret(tls),
            "test-audit-key", utf8(Map.of("signing-key.pem", ed25519Pem(true))),
            "test-audit-syslog", syslogTrustSecret(tls));
    Map<String, ConfigMap> configMaps =
        ChartPolicyTest.of(objects, ConfigMap.class).stream()
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));

    List<Deployment> deployments = ChartPolicyTest.of(objects, Deployment.class);
    assertEquals(
        Set.of("ingest", "index", "query", "storage-tiering", "routing", "audit"),
        deployments.stream().map(ChartConfigurationIT::name).collect(Collectors.toSet()));
    // Index first: it migrates the schema query and storage-tiering read.
    List<Deployment> ordered = new ArrayList<>(deployments);
    ordered.sort((a, b) -> Boolean.compare(!name(a).equals("index"), !name(b).equals("index")));

    KeycloakTokens tokens = new KeycloakTokens(platform.oidcIssuer());
    List<RunningService> running = new ArrayList<>();
    try (syslog) {
      for (Deployment deployment : ordered) {
        RunningService service =
            start(deployment, configMaps, secrets, work.resolve(name(deployment)));
        running.add(service);
        service.awaitReady();
        assertTrue(service.log().contains("Listening on"), service.log());
        assertFalse(
            service.log().contains("Unrecognized configuration key"),
            name(deployment) + " was given a key it does not know:\n" + service.log());
        assertSignInWired(service, tokens);
      }
      // The DIMSE ports the chart configured are the ones listening.
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", ingestDimse), 5000);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", queryDimse), 5000);
      }
      // Routing's Storage Commitment listener (routing.commitment).
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", routingCommitment), 5000);
      }
      // And the DICOM TLS listeners, with the stores mounted from the Secret: a C-ECHO over TLS
      // with the client certificate the trust store admits, from a known AE; BOUND is bound to
      // that certificate (certificateSha256) and limited to a department (labels).
      assertEchoOverTls(tls, "VIEWER", "STRATA", ingestTls);
      assertEchoOverTls(tls, "VIEWER", "STRATA-QR", queryTls);
      assertEchoOverTls(tls, "BOUND", "STRATA-QR", queryTls);

      assertRoutingRulesAreTheChartsAndReadOnly(running, tokens, work);
      assertAuditMessagesReachTheRepository(running, tokens, syslog);
    } finally {
      for (RunningService s : running) {
        s.stop();
      }
    }
  }

  /**
   * Routing runs the rules rendered from the values (the rule is in force) and, read-only, refuses
   * to change them through its admin API: 409, the mounted file as it was (ADR 0039).
   */
  private static void assertRoutingRulesAreTheChartsAndReadOnly(
      List<RunningService> running, KeycloakTokens tokens, Path work) throws Exception {
    RunningService routing = service(running, "routing");
    HttpClient client = HttpClient.newHttpClient();
    String admin = tokens.user("admin");
    URI rules = URI.create("http://127.0.0.1:" + routing.httpPort() + "/admin/rules");
    HttpResponse<String> list =
        client.send(
            HttpRequest.newBuilder(rules).header("Authorization", "Bearer " + admin).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, list.statusCode(), list.body());
    assertTrue(list.body().contains("\"ct-to-viewer\""), list.body());
    Path file = work.resolve("routing/root/etc/strata-routing/routing-rules.yaml");
    String before = Files.readString(file);
    HttpResponse<String> disable =
        client.send(
            HttpRequest.newBuilder(URI.create(rules + "/ct-to-viewer/disable"))
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(409, disable.statusCode(), disable.body());
    assertTrue(disable.body().contains("read-only"), disable.body());
    assertEquals(before, Files.readString(file));
  }

  /**
   * audit.syslog is wired: a search in query leaves an audit record, which the audit service sends
   * as a DICOM audit message over TLS (trust store and password from the rendered Secret mount and
   * environment) to the repository the values name.
   */
  private static void assertAuditMessagesReachTheRepository(
      List<RunningService> running, KeycloakTokens tokens, SyslogReceiver syslog) throws Exception {
    RunningService query = service(running, "query");
    URI studies = URI.create("http://127.0.0.1:" + query.httpPort() + "/dicomweb/studies");
    int status = get(HttpClient.newHttpClient(), studies, tokens.user("reader"));
    assertTrue(status == 200 || status == 204, "QIDO answered " + status);
    String message = syslog.firstMessage(READY_WITHIN);
    assertTrue(message.contains("<AuditMessage"), message);
  }

  private static RunningService service(List<RunningService> running, String name) {
    return running.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * The rendered OIDC settings are the ones the service validates with: without a token its metrics
   * are refused, with the metrics client's token (what the ServiceMonitor scrapes with) they are
   * served.
   */
  private static void assertSignInWired(RunningService service, KeycloakTokens tokens)
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + service.httpPort() + "/q/metrics");
    assertEquals(401, get(client, metrics, null), service.name() + ": metrics without a token");
    assertEquals(
        200,
        get(client, metrics, tokens.client("strata-metrics")),
        service.name() + ": metrics with the strata-metrics client's token");
  }

  private static int get(HttpClient client, URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void aPropertyNoServiceReadsIsRefused() {
    Properties props = new Properties();
    props.setProperty("strata.s3.bucket", "x");
    props.setProperty("strata.s3.no-such-thing", "x");
    List<String> unknown = unreadKeys("query", props);
    assertEquals(List.of("strata.s3.no-such-thing"), unknown);
  }

  private static RunningService start(
      Deployment deployment,
      Map<String, ConfigMap> configMaps,
      Map<String, Map<String, byte[]>> secrets,
      Path work)
      throws IOException {
    String name = name(deployment);
    ServiceSpec spec = new ServiceSpec(name, java.util.OptionalInt.empty());
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Path root = work.resolve("root");

    // The mounted ConfigMaps, as files under the scratch root; emptyDirs as empty directories.
    Map<String, Volume> volumes =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .collect(Collectors.toMap(Volume::getName, v -> v));
    for (VolumeMount mount : container.getVolumeMounts()) {
      Path dir = inRoot(root, mount.getMountPath());
      Files.createDirectories(dir);
      Volume volume = volumes.get(mount.getName());
      if (volume.getConfigMap() != null) {
        ConfigMap cm = configMaps.get(volume.getConfigMap().getName());
        assertTrue(cm != null, name + ": ConfigMap " + volume.getConfigMap().getName());
        for (var file : cm.getData().entrySet()) {
          Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
      } else if (volume.getSecret() != null) {
        Map<String, byte[]> secret = secrets.get(volume.getSecret().getSecretName());
        assertTrue(secret != null, name + ": Secret " + volume.getSecret().getSecretName());
        for (var file : secret.entrySet()) {
          Files.write(dir.resolve(file.getKey()), file.getValue());
        }
      }
    }
    Path workingDir = inRoot(root, ServiceImage.APP_DIR);
    Path config = workingDir.resolve("config/application.properties");
    assertTrue(Files.isRegularFile(config), name + ": no application.properties mounted");

    Properties props = new Properties();
    props.load(new StringReader(Files.readString(config)));
    assertEquals(List.of(), unreadKeys(name, props), name + ": keys no service reads");
    // A property naming a file in a ConfigMap or Secret mount must name one that is there; in an
    // emptyDir (scratch space such as the audit spool) the service makes what it names itself.
    // A list of files (previous-public-keys) is comma-separated: each item is translated.
    StringBuilder translated = new StringBuilder();
    for (String key : props.stringPropertyNames().stream().sorted().toList()) {
      List<String> items = new ArrayList<>();
      for (String item : props.getProperty(key).split(",", -1)) {
        for (VolumeMount mount : container.getVolumeMounts()) {
          if (item.startsWith(mount.getMountPath() + "/")) {
            item = inRoot(root, item).toString();
            Volume volume = volumes.get(mount.getName());
            if (volume.getConfigMap() != null || volume.getSecret() != null) {
              assertTrue(Files.exists(Path.of(item)), name + ": " + key + " names a missing file");
            }
            break;
          }
        }
        items.add(item);
      }
      translated.append(key).append('=').append(String.join(",", items)).append('\n');
    }
    Files.writeString(config, translated.toString());

    // The image's environment, then the container's; Secrets resolved as the kubelet would.
    Map<String, String> env = new LinkedHashMap<>(ServiceImage.environment(spec));
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        byte[] value = secrets.getOrDefault(ref.getName(), Map.of()).get(ref.getKey());
        assertTrue(value != null, name + ": Secret " + ref.getName() + "/" + ref.getKey());
        env.put(var.getName(), new String(value, StandardCharsets.UTF_8));
      } else {
        env.put(var.getName(), var.getValue());
      }
    }
    int http = freePort();
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
    env.replaceAll((k, v) -> k.endsWith("_DIMSE_HOST") ? "127.0.0.1" : v);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    for (String arg : ServiceImage.entrypoint().subList(1, ServiceImage.entrypoint().size())) {
      if (arg.equals("-Djava.io.tmpdir=/tmp")) {
        arg = "-Djava.io.tmpdir=" + inRoot(root, "/tmp");
      } else if (arg.startsWith(ServiceImage.APP_DIR + "/")) {
        arg =
            Chart.ROOT
                .resolve("services/" + name + "/target/quarkus-app/quarkus-run.jar")
                .toString();
        assertTrue(Files.isRegularFile(Path.of(arg)), arg + " missing: package the service");
      }
      command.add(arg);
    }
    Files.createDirectories(inRoot(root, "/tmp"));
    Path log = work.resolve("service.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return new RunningService(name, pb.start(), log, http);
  }

  /**
   * Keys of {@code props} the service does not read: neither in its packaged application.properties
   * nor under one of its validated configuration mappings (whose unknown keys fail the start
   * anyway).
   */
  static List<String> unreadKeys(String service, Properties props) {
    Properties packaged = new Properties();
    try {
      packaged.load(
          new StringReader(
              Files.readString(
                  Chart.ROOT.resolve(
                      "services/" + service + "/src/main/resources/application.properties"))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Set<String> known =
        packaged.stringPropertyNames().stream()
            .map(k -> k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k)
            .collect(Collectors.toSet());
    return props.stringPropertyNames().stream()
        .filter(k -> !known.contains(k))
        .filter(k -> VALIDATED_PREFIXES.get(service).stream().noneMatch(k::startsWith))
        .filter(k -> !(TIER_READERS.contains(service) && TIER_KEY.matcher(k).matches()))
        .sorted()
        .toList();
  }

  /** The Secret as the README says to make it from dimse-tls.sh's (or your PKI's) files. */
  private static Map<String, byte[]> dimseTlsSecret(DimseTlsFixture tls) throws IOException {
    return Map.of(
        "key-store.p12", Files.readAllBytes(tls.dir().resolve("server.p12")),
        "trust-store.p12", Files.readAllBytes(tls.dir().resolve("trust.p12")),
        "store-password",
            Files.readString(tls.dir().resolve("store-password"))
                .strip()
                .getBytes(StandardCharsets.UTF_8));
  }

  /** audit.syslog.existingSecret: the local CA as trust store, with its password. */
  private static Map<String, byte[]> syslogTrustSecret(DimseTlsFixture tls) throws IOException {
    return Map.of(
        "trust-store.p12", Files.readAllBytes(tls.dir().resolve("trust.p12")),
        "trust-store-password",
            Files.readString(tls.dir().resolve("store-password"))
                .strip()
                .getBytes(StandardCharsets.UTF_8));
  }

  private static void assertEchoOverTls(
      DimseTlsFixture tls, String callingAe, String calledAe, int port) throws IOException {
    List<String> command = new ArrayList<>(List.of("echoscu"));
    command.addAll(tls.dcmtkWithClientCertificate());
    command.addAll(
        List.of("-aet", callingAe, "-aec", calledAe, "127.0.0.1", Integer.toString(port)));
    DimseTlsFixture.Result r = DimseTlsFixture.dcmtk(command);
    assertEquals(0, r.exitCode(), callingAe + " to " + calledAe + " over TLS: " + r.output());
  }

  private static Map<String, byte[]> utf8(Map<String, String> strings) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    strings.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return bytes;
  }

  /**
   * A fresh Ed25519 key as PEM: the checkpoint key as PKCS#8 (what {@code openssl genpkey} writes),
   * or a retired key's public key (what {@code openssl pkey -pubout} writes).
   */
  private static String ed25519Pem(boolean privateKey) throws Exception {
    java.security.KeyPair pair =
        java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String type = privateKey ? "PRIVATE KEY" : "PUBLIC KEY";
    byte[] der = privateKey ? pair.getPrivate().getEncoded() : pair.getPublic().getEncoded();
    return "-----BEGIN "
        + type
        + "-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** {@code text} as a YAML (JSON) double-quoted string. */
  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\n", "\\n") + "\"";
  }

  private static Path inRoot(Path root, String containerPath) {
    return root.resolve(containerPath.substring(1));
  }

  private static String name(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A started service process and its log. */
  record RunningService(String name, Process process, Path logFile, int httpPort) {

    void awaitReady() throws Exception {
      HttpClient client = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
      long deadline = System.nanoTime() + READY_WITHIN.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          fail(name + " exited with " + process.exitValue() + ":\n" + log());
        }
        try {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(500);
      }
      fail(name + " not ready within " + READY_WITHIN + ":\n" + log());
    }

    String log() throws IOException {
      return Files.readString(logFile);
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
