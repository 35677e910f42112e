package org.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;

/**
 * The one platform of this test JVM. Components start on first demand and stay up until the JVM
 * ends; the platform's process guard stops them even if the JVM is killed.
 */
public final class SharedPlatform {
  private static Platform platform;

  private SharedPlatform() {}

  /** The shared platform with at least {@code components} running. */
  public static synchronized Platform require(Set<Component> components) {
    if (platform == null) {
      platform = Platform.start(config(EnumSet.noneOf(Component.class)));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(SharedPlatform::stop, "strata-platform-stop"));
    }
    platform.ensureStarted(components);
    return platform;
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
