package org.strata.platform;

import java.util.Set;
import java.util.function.Supplier;

/**
 * The one platform of a test JVM, whichever class loader asks for it. Quarkus gives each test
 * application (each test profile or set of test resources) a class loader of its own; a static
 * field in a class loaded per application would start a second platform at every restart, and stop
 * the first (its data directory is the same). The services' tests therefore load this library
 * parent-first ({@code quarkus.class-loading.parent-first-artifacts}), so this class, and the
 * platform it holds, exist once per JVM. Components start on first demand and stay up until the JVM
 * ends; the process guard stops them even if the JVM is killed.
 */
public final class JvmPlatform {
  private static Platform platform;

  private JvmPlatform() {}

  /**
   * The JVM's platform with at least {@code components} running; {@code config} makes its
   * configuration on first use.
   */
  public static synchronized Platform require(
      Set<Component> components, Supplier<PlatformConfig> config) {
    if (platform == null) {
      platform = Platform.start(config.get());
      Runtime.getRuntime().addShutdownHook(new Thread(JvmPlatform::stop, "strata-platform-stop"));
    }
    platform.ensureStarted(components);
    return platform;
  }

  /** Stops the JVM's platform (the shutdown hook; tests of the platform itself). */
  public static synchronized void stop() {
    if (platform != null) {
      platform.close();
      platform = null;
    }
  }
}
