package org.strata.platform;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how the embedded platform runs. A port of 0 means "pick a free one" (tests); {@code
 * make run} uses fixed ports so clients can be pointed at a stable address.
 *
 * @param dataDir every component keeps its data below this directory, so a restart on the same
 *     directory shows the same archive
 * @param distDir the third-party distributions copied by {@code libs/platform-dist}
 * @param s3ColdPort the second S3 server's port ({@link Component#S3_COLD}, the second tier)
 */
public record PlatformConfig(
    Path dataDir,
    Path distDir,
    String host,
    Set<Component> components,
    int kafkaPort,
    int kafkaControllerPort,
    String kafkaHeap,
    int postgresPort,
    String postgresUser,
    String postgresPassword,
    List<String> databases,
    int s3Port,
    String s3AccessKey,
    String s3SecretKey,
    List<String> buckets,
    int s3ColdPort,
    int keycloakPort,
    int keycloakManagementPort,
    Path keycloakRealmFile) {

  /** The buckets Strata's services write to; services may add more through their own config. */
  public static final List<String> DEFAULT_BUCKETS = List.of("strata-objects");

  /** One database per owner: {@code strata} for the index, {@code keycloak} for Keycloak. */
  public static final List<String> DEFAULT_DATABASES = List.of("strata", "keycloak");

  public PlatformConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(distDir, "distDir");
    components =
        components.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(components);
    if (components.contains(Component.KEYCLOAK)) {
      components.add(Component.POSTGRES);
    }
    components = Set.copyOf(components);
    databases = List.copyOf(databases);
    buckets = List.copyOf(buckets);
  }

  /** Fixed, well-known ports for {@code make run}. */
  public static PlatformConfig forRun(Path dataDir, Path distDir, Path realmFile) {
    return new PlatformConfig(
        dataDir.toAbsolutePath(),
        distDir.toAbsolutePath(),
        "127.0.0.1",
        EnumSet.allOf(Component.class),
        19092,
        19093,
        "-Xms128m -Xmx768m",
        15432,
        "strata",
        "strata",
        DEFAULT_DATABASES,
        19000,
        "strata",
        "strata-secret",
        DEFAULT_BUCKETS,
        19010,
        18080,
        18081,
        realmFile);
  }

  /** Free ports, the given components, small heaps: one platform per test JVM. */
  public static PlatformConfig forTests(
      Path dataDir, Path distDir, Path realmFile, Set<Component> components) {
    return new PlatformConfig(
        dataDir.toAbsolutePath(),
        distDir.toAbsolutePath(),
        "127.0.0.1",
        components,
        0,
        0,
        "-Xms64m -Xmx512m",
        0,
        "strata",
        "strata",
        DEFAULT_DATABASES,
        0,
        "strata",
        "strata-secret",
        DEFAULT_BUCKETS,
        0,
        0,
        0,
        realmFile);
  }

  /** This configuration with every port of 0 replaced by a free port, so a restart can reuse it. */
  public PlatformConfig withResolvedPorts() {
    return new PlatformConfig(
        dataDir,
        distDir,
        host,
        components,
        Ports.resolve(kafkaPort, host),
        Ports.resolve(kafkaControllerPort, host),
        kafkaHeap,
        Ports.resolve(postgresPort, host),
        postgresUser,
        postgresPassword,
        databases,
        Ports.resolve(s3Port, host),
        s3AccessKey,
        s3SecretKey,
        buckets,
        Ports.resolve(s3ColdPort, host),
        Ports.resolve(keycloakPort, host),
        Ports.resolve(keycloakManagementPort, host),
        keycloakRealmFile);
  }

  public boolean has(Component component) {
    return components.contains(component);
  }
}
