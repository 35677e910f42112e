package org.strata.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.strata.platform.Component;
import org.strata.platform.Platform;

/**
 * A Quarkus test resource on the real platform: {@code @QuarkusTestResource(value =
 * PlatformTestResource.class, initArgs = @ResourceArg(name = "components", value =
 * "kafka,postgres,s3"))}. It hands Quarkus the addresses as configuration: Kafka bootstrap servers,
 * the reactive and JDBC datasources, {@code strata.s3.*} and the OIDC server.
 */
public final class PlatformTestResource implements QuarkusTestResourceLifecycleManager {
  private Set<Component> components = EnumSet.of(Component.KAFKA, Component.POSTGRES, Component.S3);

  @Override
  public void init(Map<String, String> initArgs) {
    String spec = initArgs.get("components");
    if (spec != null && !spec.isBlank()) {
      components =
          Arrays.stream(spec.split(","))
              .map(s -> Component.valueOf(s.trim().toUpperCase(Locale.ROOT)))
              .collect(Collectors.toCollection(() -> EnumSet.noneOf(Component.class)));
    }
  }

  @Override
  public Map<String, String> start() {
    return quarkusConfig(SharedPlatform.require(components));
  }

  /** The platform's addresses in the keys Quarkus extensions read. */
  public static Map<String, String> quarkusConfig(Platform platform) {
    Map<String, String> config = new LinkedHashMap<>(platform.addresses());
    if (platform.isStarted(Component.KAFKA)) {
      config.put("kafka.bootstrap.servers", platform.kafkaBootstrapServers());
    }
    if (platform.isStarted(Component.POSTGRES)) {
      config.put("quarkus.datasource.db-kind", "postgresql");
      config.put("quarkus.datasource.username", platform.postgresUser());
      config.put("quarkus.datasource.password", platform.postgresPassword());
      config.put("quarkus.datasource.jdbc.url", platform.jdbcUrl("strata"));
      config.put(
          "quarkus.datasource.reactive.url",
          platform.jdbcUrl("strata").substring("jdbc:".length()));
    }
    if (platform.isStarted(Component.KEYCLOAK)) {
      config.put("quarkus.oidc.auth-server-url", platform.oidcIssuer());
    }
    return config;
  }

  @Override
  public void stop() {
    // The platform is shared by every test of this JVM; it stops when the JVM ends.
  }
}
