package org.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.PlatformLink;

/**
 * The one platform of this test JVM. Components start on first demand and stay up until the JVM
 * ends; the platform's process guard stops them even if the JVM is killed.
 *
 * <p>Every Quarkus test profile loads these classes again in a new class loader, where a static
 * field starts empty. So the servers belong to this class as loaded by the system class loader
 * (which every test JVM has and never closes), and a copy in any other class loader attaches to
 * them through a {@link PlatformLink}: a new test profile no longer starts Kafka, PostgreSQL, S3
 * and Keycloak again.
 */
public final class SharedPlatform {
  private static Platform platform;

  private SharedPlatform() {}

  /** The shared platform with at least {@code components} running. */
  public static synchronized Platform require(Set<Component> components) {
    if (platform == null) {
      platform =
          ownedBySystemClassLoader().map(PlatformLink::attach).orElseGet(SharedPlatform::own);
    }
    platform.ensureStarted(components);
    return platform;
  }

  /**
   * The link to the platform of this class as the system class loader has it, when this copy was
   * loaded by another class loader and the system class loader can see this class.
   */
  private static Optional<Map<?, ?>> ownedBySystemClassLoader() {
    ClassLoader system = ClassLoader.getSystemClassLoader();
    if (SharedPlatform.class.getClassLoader() == system) {
      return Optional.empty();
    }
    try {
      Class<?> owner = Class.forName(SharedPlatform.class.getName(), true, system);
      return Optional.of((Map<?, ?>) owner.getMethod("link").invoke(null));
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return Optional.empty(); // the test class path is not on the system class loader
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the JVM's shared platform did not start", e.getCause());
    }
  }

  /**
   * The link to this class loader's platform, started with no component yet: for copies of this
   * class in other class loaders. Only JDK types cross class loaders.
   */
  public static synchronized Map<String, Object> link() {
    if (platform == null) {
      platform = own();
    }
    return PlatformLink.of(platform);
  }

  private static Platform own() {
    Platform owned = Platform.start(config(EnumSet.noneOf(Component.class)));
    Runtime.getRuntime().addShutdownHook(new Thread(SharedPlatform::stop, "strata-platform-stop"));
    return owned;
  }

  static synchronized void stop() {
    if (platform != null) {
      platform.close();
      platform = null;
    }
  }

  private static PlatformConfig config(Set<Component> components) {
    Path dist = locate("strata.platform.dist", "libs/platform-dist/target/dist");
    Path realm = locate("strata.realm.file", "deploy/keycloak/strata-realm.json");
    Path dataDir;
    try {
      dataDir =
          Files.createDirectories(
              Path.of("target", "strata-platform-" + ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PlatformConfig.forTests(dataDir, dist, realm, components);
  }

  /**
   * A system property, else the path relative to the repository root found by walking up from the
   * working directory (surefire runs in the module's directory).
   */
  static Path locate(String property, String relative) {
    String value = System.getProperty(property);
    if (value != null && !value.isBlank()) {
      return Path.of(value);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        relative + " not found above " + Path.of("").toAbsolutePath() + "; set -D" + property);
  }
}
