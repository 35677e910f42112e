package org.strata.platform;

import io.minio.MinioClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strata's infrastructure as real servers on 127.0.0.1: Kafka, PostgreSQL, S3 (s3proxy) and
 * Keycloak, each in its own process, started in parallel where they are independent, health-checked
 * before this returns, and stopped (in reverse order) by {@link #close()}.
 */
public final class Platform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final PlatformConfig config;
  private final KafkaBroker kafka;
  private final PostgresServer postgres;
  private final S3Server s3;
  private final S3Server s3Cold;
  private final KeycloakServer keycloak;
  private final List<Server> started = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Duration> startupTimes =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile RestartPolicy restartPolicy;

  /**
   * The platform that runs the servers when this one is attached to it from another class loader
   * ({@link PlatformLink}); null when this platform starts and stops its servers itself.
   */
  private final Owner owner;

  /** What an attached platform asks of the platform that owns the server processes. */
  interface Owner {
    Set<Component> started();

    void ensureStarted(Set<Component> components);

    void stop(Component component);

    Optional<ProcessHandle> serverProcess(Component component);

    int restarts(Component component);

    Map<String, Duration> startupTimes();

    Map<String, Long> residentBytes();
  }

  private Platform(PlatformConfig requested) {
    this(requested, null);
  }

  Platform(PlatformConfig requested, Owner owner) {
    this.owner = owner;
    this.config = requested.withResolvedPorts();
    this.kafka = new KafkaBroker(config);
    this.postgres = new PostgresServer(config);
    this.s3 = S3Server.first(config);
    this.s3Cold = S3Server.cold(config);
    this.keycloak = new KeycloakServer(config, postgres);
  }

  /** Starts the configured components; on any failure, stops what was started and throws. */
  public static Platform start(PlatformConfig config) {
    Platform platform = new Platform(config);
    try {
      platform.ensureStarted(config.components());
      return platform;
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  /**
   * Starts those of {@code components} that are not running yet (Keycloak brings PostgreSQL), so a
   * test JVM can share one platform between tests that need different parts of it.
   */
  public synchronized void ensureStarted(Set<Component> components) {
    if (owner != null) {
      owner.ensureStarted(components);
      return;
    }
    boolean withKeycloak = components.contains(Component.KEYCLOAK);
    CompletableFuture<Void> pg =
        startAsync(components.contains(Component.POSTGRES) || withKeycloak ? postgres : null);
    CompletableFuture<Void> kc = pg.thenCompose(v -> startAsync(withKeycloak ? keycloak : null));
    try {
      CompletableFuture.allOf(
              pg,
              kc,
              startAsync(components.contains(Component.KAFKA) ? kafka : null),
              startAsync(components.contains(Component.S3) ? s3 : null),
              startAsync(components.contains(Component.S3_COLD) ? s3Cold : null))
          .join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new PlatformException(String.valueOf(cause.getMessage()), cause);
    }
  }

  /**
   * Stops one component (for failure tests); {@link #ensureStarted} starts it again on the same
   * ports and data.
   */
  public synchronized void stop(Component component) {
    if (owner != null) {
      owner.stop(component);
      return;
    }
    Server server = server(component);
    if (started.remove(server)) {
      server.stop();
    }
  }

  /**
   * From now on, Kafka, PostgreSQL and S3 are restarted on their ports and data whenever they exit
   * unasked ({@link RestartPolicy}); {@link #stop(Component)} and {@link #close()} still stop them
   * for good. Keycloak is not supervised: its launcher script does not always replace itself with
   * its JVM, so a killed launcher could leave a server holding the ports.
   */
  public synchronized void superviseRestarts(RestartPolicy policy) {
    if (owner != null) {
      throw new UnsupportedOperationException("an attached platform's servers belong to its owner");
    }
    restartPolicy = policy;
    for (Server server : servers()) {
      supervise(server);
    }
  }

  private void supervise(Server server) {
    RestartPolicy policy = restartPolicy;
    if (policy != null && server != keycloak && server.process() != null) {
      server.process().supervise(policy, server::ready);
    }
  }

  /**
   * The running server process of a component (the guard's child, e.g. the postmaster), for
   * fault-injection tests that kill it.
   */
  public Optional<ProcessHandle> serverProcess(Component component) {
    if (owner != null) {
      return owner.serverProcess(component);
    }
    ManagedProcess process = server(component).process();
    return process == null ? Optional.empty() : process.server();
  }

  /** How often the supervisor restarted a component (0 when not supervised). */
  public int restarts(Component component) {
    if (owner != null) {
      return owner.restarts(component);
    }
    ManagedProcess process = server(component).process();
    return process == null ? 0 : process.restarts();
  }

  /** Whether the component's server passes its health check now. */
  public boolean isReady(Component component) {
    try {
      return isStarted(component) && server(component).ready();
    } catch (Exception e) {
      return false;
    }
  }

  public boolean isStarted(Component component) {
    if (owner != null) {
      return owner.started().contains(component);
    }
    return started.contains(server(component));
  }

  private Server server(Component component) {
    return switch (component) {
      case KAFKA -> kafka;
      case POSTGRES -> postgres;
      case S3 -> s3;
      case S3_COLD -> s3Cold;
      case KEYCLOAK -> keycloak;
    };
  }

  private CompletableFuture<Void> startAsync(Server server) {
    if (server == null || started.contains(server)) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(
        () -> {
          long t0 = System.nanoTime();
          started.add(server);
          server.start();
          supervise(server);
          Duration took = Duration.ofNanos(System.nanoTime() - t0);
          startupTimes.put(server.name(), took);
          LOG.info("{} ready in {} ms", server.name(), took.toMillis());
        },
        r -> Thread.ofPlatform().name("strata-start-" + server.name()).start(r));
  }

  public PlatformConfig config() {
    return config;
  }

  public String kafkaBootstrapServers() {
    return require(kafka, Component.KAFKA).bootstrapServers();
  }

  /** An admin client on the broker; the caller closes it. */
  public Admin kafkaAdmin() {
    return require(kafka, Component.KAFKA).admin();
  }

  public String jdbcUrl(String database) {
    return require(postgres, Component.POSTGRES).jdbcUrl(database);
  }

  public String postgresUser() {
    return config.postgresUser();
  }

  public String postgresPassword() {
    return config.postgresPassword();
  }

  public String s3Endpoint() {
    return require(s3, Component.S3).endpoint();
  }

  /** The second S3 server (the second tier, {@link Component#S3_COLD}). */
  public String s3ColdEndpoint() {
    return require(s3Cold, Component.S3_COLD).endpoint();
  }

  /**
   * The folder in which the second S3 server keeps {@code bucket}'s objects, one file per key: for
   * tests that change an object's bytes behind the server's back.
   */
  public java.nio.file.Path s3ColdBucketDir(String bucket) {
    return require(s3Cold, Component.S3_COLD).bucketDir(bucket);
  }

  /** A MinIO SDK client on the platform's object storage. */
  public MinioClient s3Client() {
    return require(s3, Component.S3).client();
  }

  public String keycloakUrl() {
    return require(keycloak, Component.KEYCLOAK).url();
  }

  /** The OIDC issuer of the {@code strata} realm. */
  public String oidcIssuer() {
    return require(keycloak, Component.KEYCLOAK).realmUrl();
  }

  /** Every started component's client addresses as {@code strata.*} configuration keys. */
  public Map<String, String> addresses() {
    Map<String, String> map = new LinkedHashMap<>();
    for (Server server : List.of(servers())) {
      map.putAll(server.addresses());
    }
    return map;
  }

  /** How long each component took from launch to a passing health check. */
  public Map<String, Duration> startupTimes() {
    if (owner != null) {
      return owner.startupTimes();
    }
    return Map.copyOf(startupTimes);
  }

  /** Resident memory of each component's processes, in bytes. */
  public Map<String, Long> residentBytes() {
    if (owner != null) {
      return owner.residentBytes();
    }
    Map<String, Long> map = new LinkedHashMap<>();
    for (Server server : servers()) {
      map.put(server.name(), server.residentBytes());
    }
    return map;
  }

  private Server[] servers() {
    return java.util.stream.Stream.of(
            Component.POSTGRES,
            Component.KAFKA,
            Component.S3,
            Component.S3_COLD,
            Component.KEYCLOAK)
        .filter(this::isStarted)
        .map(this::server)
        .toArray(Server[]::new);
  }

  private <T extends Server> T require(T server, Component component) {
    if (!isStarted(component)) {
      throw new IllegalStateException(component + " is not started on this platform");
    }
    return server;
  }

  /**
   * Stops every started component: Keycloak first, PostgreSQL (which it uses) last. An attached
   * platform stops nothing: its owner does.
   */
  @Override
  public void close() {
    if (owner != null) {
      return; // the owner stops the servers
    }
    List<Server> order = new ArrayList<>();
    for (Server server : new Server[] {keycloak, kafka, s3, s3Cold, postgres}) {
      if (started.contains(server)) {
        order.add(server);
      }
    }
    for (Server server : order) {
      try {
        server.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping {} failed: {}", server.name(), e.toString());
      }
    }
    started.clear();
  }
}
