package org.strata.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code make run}'s platform: starts the real servers on their fixed ports with data under {@code
 * ./var}, proves each address answers, prints them, writes them to {@code var/platform.env} for the
 * services, and runs until interrupted (Ctrl-C stops everything it started). Kafka, PostgreSQL,
 * s3proxy and the services are supervised: one that exits unasked is restarted on the same ports
 * and data after a backoff ({@link RestartPolicy#DEFAULT}).
 *
 * <p>Environment: {@code STRATA_DATA_DIR} (default {@code ./var}), {@code STRATA_PLATFORM_DIST}
 * (default {@code libs/platform-dist/target/dist}), {@code STRATA_COMPONENTS} (default all, e.g.
 * {@code kafka,postgres,s3}).
 */
public final class PlatformMain {
  private PlatformMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(env("STRATA_DATA_DIR", "var")).toAbsolutePath();
    Path dist = Path.of(env("STRATA_PLATFORM_DIST", "libs/platform-dist/target/dist"));
    Path realm = Path.of(env("STRATA_REALM_FILE", "deploy/keycloak/strata-realm.json"));
    Set<Component> components = parseComponents(env("STRATA_COMPONENTS", ""));
    PlatformConfig defaults = PlatformConfig.forRun(dataDir, dist, realm);
    PlatformConfig config =
        new PlatformConfig(
            defaults.dataDir(),
            defaults.distDir(),
            defaults.host(),
            components,
            defaults.kafkaPort(),
            defaults.kafkaControllerPort(),
            defaults.kafkaHeap(),
            defaults.postgresPort(),
            defaults.postgresUser(),
            defaults.postgresPassword(),
            defaults.databases(),
            defaults.s3Port(),
            defaults.s3AccessKey(),
            defaults.s3SecretKey(),
            defaults.buckets(),
            defaults.s3ColdPort(),
            defaults.keycloakPort(),
            defaults.keycloakManagementPort(),
            defaults.keycloakRealmFile());
    Files.createDirectories(dataDir);

    System.out.println("Starting Strata's platform (" + components + ") with data in " + dataDir);
    long t0 = System.nanoTime();
    Platform platform = Platform.start(config);
    // Like Kubernetes: a server or service that dies is started again (and the log says so).
    platform.superviseRestarts(RestartPolicy.DEFAULT);
    List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    for (String arg : args) {
      services.add(ServiceProcess.parse(arg).supervised(RestartPolicy.DEFAULT));
    }
    // The DICOMweb base URL needs both ends of the method routing: ingest (STOW) and query.
    Optional<ServiceProcess> ingest = service(services, "ingest");
    Optional<ServiceProcess> query = service(services, "query");
    Optional<DicomwebProxy> proxy =
        ingest.isPresent() && query.isPresent()
            ? DicomwebProxy.find(
                env("STRATA_NGINX", ""),
                Path.of(env("STRATA_NGINX_TEMPLATE", "deploy/nginx/strata.conf.template")),
                DicomwebProxy.RUN_PORT)
            : Optional.empty();
    if (ingest.isPresent() && query.isPresent() && proxy.isEmpty()) {
      System.out.println(
          "nginx not found (deploy/scripts/install-debian-deps.sh run installs it): no DICOMweb"
              + " base URL, use the services' own ports");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Strata...");
                  proxy.ifPresent(DicomwebProxy::stop);
                  services.reversed().forEach(ServiceProcess::stop);
                  platform.close();
                  System.out.println("Stopped.");
                  stopped.countDown();
                }));
    writeEnvFile(dataDir.resolve("platform.env"), platform.addresses());
    Map<String, String> serviceEnv = new LinkedHashMap<>(platform.addresses());
    if (proxy.isPresent()) {
      // Retrieve URLs (STOW responses, QIDO RetrieveURL, BulkDataURIs) name the public base.
      serviceEnv.put("strata.ingest.public-base-url", proxy.get().baseUrl());
      serviceEnv.put("strata.query.retrieve-base-url", proxy.get().baseUrl());
    }
    for (ServiceProcess service : services) {
      System.out.println("Starting service " + service.name() + "...");
      service.start(dataDir, serviceEnv);
    }
    if (proxy.isPresent()) {
      System.out.println("Starting nginx (DICOMweb base URL, OHIF viewer)...");
      proxy.get().start(dataDir, hostPort(ingest.get()), hostPort(query.get()), viewer(platform));
    }
    System.out.println(
        banner(platform, config, services, proxy, (System.nanoTime() - t0) / 1_000_000));
    stopped.await();
  }

  /**
   * The OHIF viewer run.sh fetched (STRATA_OHIF_DIST, default var/ohif/dist), signing in with this
   * platform's Keycloak; empty, with a message, when it is missing.
   */
  private static Optional<DicomwebProxy.Viewer> viewer(Platform platform) {
    Path dist =
        Path.of(
            env(
                "STRATA_OHIF_DIST",
                Path.of(env("STRATA_DATA_DIR", "var"), "ohif", "dist").toString()));
    if (!Files.isRegularFile(dist.resolve("index.html"))) {
      System.out.println(
          "OHIF viewer not found in " + dist + " (deploy/scripts/fetch-ohif.sh fetches it)");
      return Optional.empty();
    }
    Path appConfig = Path.of(env("STRATA_OHIF_CONFIG", "deploy/ohif/app-config.js"));
    return Optional.of(new DicomwebProxy.Viewer(dist, appConfig, platform.oidcIssuer()));
  }

  private static Optional<ServiceProcess> service(List<ServiceProcess> services, String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static String hostPort(ServiceProcess service) {
    return service.url().substring("http://".length());
  }

  private static Set<Component> parseComponents(String spec) {
    if (spec.isBlank()) {
      return EnumSet.allOf(Component.class);
    }
    return java.util.Arrays.stream(spec.split(","))
        .map(s -> Component.valueOf(s.trim().toUpperCase(Locale.ROOT)))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Component.class)));
  }

  /** Shell-style KEY=value lines (keys upper-cased, dots to underscores) for the services. */
  private static void writeEnvFile(Path file, Map<String, String> addresses) throws IOException {
    StringBuilder text = new StringBuilder();
    addresses.forEach(
        (key, value) ->
            text.append(ServiceProcess.envName(key)).append('=').append(value).append('\n'));
    Files.writeString(file, text);
  }

  private static String banner(
      Platform platform,
      PlatformConfig config,
      List<ServiceProcess> services,
      Optional<DicomwebProxy> proxy,
      long millis) {
    PlatformProbe probe = new PlatformProbe(platform);
    StringBuilder b = new StringBuilder();
    String line = "-".repeat(78);
    b.append(line).append('\n');
    b.append(
        String.format("Strata platform is up (%d ms), data in %s%n", millis, config.dataDir()));
    b.append(line).append('\n');
    if (config.has(Component.KAFKA)) {
      b.append(
          String.format(
              "Kafka        %-34s %d topics%n",
              platform.kafkaBootstrapServers(), probe.kafkaTopics().size()));
    }
    if (config.has(Component.POSTGRES)) {
      b.append(
          String.format(
              "PostgreSQL   %-34s user %s / %s, %s%n",
              platform.jdbcUrl("strata"),
              config.postgresUser(),
              config.postgresPassword(),
              probe.postgresQuery("show server_version").split(" ")[0]));
    }
    if (config.has(Component.S3)) {
      b.append(
          String.format(
              "S3 (s3proxy) %-34s key %s / %s, buckets %s%n",
              platform.s3Endpoint(),
              config.s3AccessKey(),
              config.s3SecretKey(),
              probe.s3Buckets()));
    }
    if (config.has(Component.S3_COLD)) {
      b.append(
          String.format(
              "S3 tier cold %-34s key %s / %s, bucket %s (second tier, second server)%n",
              platform.s3ColdEndpoint(),
              config.s3AccessKey(),
              config.s3SecretKey(),
              S3Server.COLD_BUCKET));
    }
    if (config.has(Component.KEYCLOAK)) {
      probe.keycloakClientToken();
      b.append(
          String.format(
              "Keycloak     %-34s admin / admin; realm strata, client %s issues tokens%n",
              platform.keycloakUrl(), PlatformProbe.TEST_CLIENT_ID));
      b.append(String.format("OIDC issuer  %s%n", platform.oidcIssuer()));
    }
    b.append(line).append('\n');
    Map<String, java.time.Duration> times = platform.startupTimes();
    platform
        .residentBytes()
        .forEach(
            (name, rss) ->
                b.append(
                    String.format(
                        "  %-10s started in %5.1f s, resident memory %4d MB%n",
                        name,
                        times.getOrDefault(name, java.time.Duration.ZERO).toMillis() / 1000.0,
                        rss / (1024 * 1024))));
    for (ServiceProcess service : services) {
      b.append(
          String.format(
              "  %-10s started in %5.1f s, resident memory %4d MB, %s (health: /q/health)%n",
              service.name(),
              service.startup().toMillis() / 1000.0,
              service.residentBytes() / (1024 * 1024),
              service.url()));
    }
    proxy.ifPresent(
        p ->
            b.append(
                String.format(
                    "  %-10s started in %5.1f s, resident memory %4d MB, %s%n",
                    "nginx",
                    p.startup().toMillis() / 1000.0,
                    p.residentBytes() / (1024 * 1024),
                    p.baseUrl())));
    proxy.ifPresent(
        p ->
            b.append(
                String.format(
                    "DICOMweb base URL %s (STOW POST -> ingest, QIDO/WADO GET -> query),"
                        + " FHIR %s%n",
                    p.baseUrl(), p.baseUrl().replaceFirst("/dicomweb$", "/fhir"))));
    proxy.ifPresent(
        p ->
            b.append(
                String.format(
                    "OHIF viewer  %s  sign in as reader-a, reader-b, reader (password = user"
                        + " name)%n",
                    p.url())));
    for (ServiceProcess service : services) {
      switch (service.name()) {
        case "ingest" -> {
          b.append(String.format("STOW-RS      %s/dicomweb/studies%n", service.url()));
          b.append(
              String.format(
                  "Storage SCP  AE STRATA at 127.0.0.1:11112%s (calling AEs and tenants:"
                      + " deploy/known-aes.conf; %s)%n",
                  tlsPort("STRATA_INGEST_DIMSE_TLS_PORT", "2762"), callingAes()));
        }
        case "query" -> {
          b.append(String.format("QIDO-RS      %s/dicomweb/studies%n", service.url()));
          b.append(String.format("FHIR R4      %s/fhir/ImagingStudy%n", service.url()));
          b.append(
              String.format(
                  "Q/R SCP      AE STRATA-QR at 127.0.0.1:11113%s (calling AEs and tenants:"
                      + " deploy/known-aes.conf; %s)%n",
                  tlsPort("STRATA_QUERY_DIMSE_TLS_PORT", "2763"), callingAes()));
        }
        case "storage-tiering" ->
            b.append(
                String.format(
                    "Tiering      %s/admin/tiers, POST %s/admin/tenants/{tenant}/studies/{study}/moves?tier=cold%n",
                    service.url(), service.url()));
        case "index" ->
            b.append(
                String.format(
                    "Index admin  %s/admin/tenants/{tenant}/studies/{study} (DELETE)%n",
                    service.url()));
        case "audit" ->
            b.append(
                String.format(
                    "Audit        %s/audit/verify, /audit/export, /audit/patient-access,"
                        + " /fhir/AuditEvent (strata-auditor)%n",
                    service.url()));
        case "routing" ->
            b.append(
                String.format(
                    "Routing      %s/admin/rules, /admin/destinations, /admin/jobs (rules:"
                        + " %s, C-STORE SCU AE STRATA-ROUTER)%n",
                    service.url(), env("STRATA_ROUTING_RULES_FILE", "routing-rules.yaml")));
        default -> {}
      }
    }
    if (!services.isEmpty()) {
      b.append(authLine(env("STRATA_AUTH", "local")));
      b.append(dimseTlsLine(env("STRATA_DIMSE_TLS_DIR", "")));
    }
    b.append("Addresses for the services: ").append(config.dataDir().resolve("platform.env"));
    b.append(
        "\nA server or service that dies is restarted (the log says so). Ctrl-C stops everything.");
    return b.toString();
  }

  /** The TLS port beside a DIMSE port, when make run made TLS material (run.sh). */
  private static String tlsPort(String portVariable, String defaultPort) {
    return env("STRATA_DIMSE_TLS_KEY_STORE", "").isEmpty()
        ? ""
        : ", DICOM TLS at 127.0.0.1:" + env(portVariable, defaultPort);
  }

  /** Which calling AEs the DIMSE services accept in this mode (docs/security.md). */
  private static String callingAes() {
    return env("STRATA_AUTH", "local").equalsIgnoreCase("required")
        ? "only listed AEs, from their registered host"
        : "others -> tenant local";
  }

  /** How to call the TLS ports with the local CA's client certificate. */
  static String dimseTlsLine(String tlsDir) {
    if (tlsDir.isEmpty()) {
      return "";
    }
    return String.format(
        "DICOM TLS    client certificate required; local CA and a client certificate in %s:%n"
            + "             echoscu +tls %s/client.key %s/client.pem +cf %s/ca.pem -aec STRATA"
            + " 127.0.0.1 2762%n",
        tlsDir, tlsDir, tlsDir, tlsDir);
  }

  /** What the services do with callers without a token (docs/security.md). */
  static String authLine(String mode) {
    if (mode.equalsIgnoreCase("required")) {
      return String.format(
          "Security     STRATA_AUTH=required: every request needs a token (make token USER=reader)%n");
    }
    return String.format(
        "Security     local profile: requests from 127.0.0.1 without a token act as user 'local'"
            + " (tenant local, every role);%n"
            + "             a token is validated anyway. STRATA_AUTH=required make run is like"
            + " production%n");
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
