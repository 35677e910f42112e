package org.strata.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One service's OCI image, built by Jib from the Quarkus fast-jar ({@code target/quarkus-app}) on
 * {@link JavaRuntime}, written as a tarball. Every timestamp is Jib's fixed one and every file is
 * added in name order, so the same inputs give the same digest.
 */
public final class ServiceImage {

  /** Where the Quarkus application lives in the image. */
  public static final String APP_DIR = "/app";

  /** Third-party libraries change least, Strata's own libraries more, the service itself most. */
  static final List<String> LAYERS =
      List.of("java-runtime", "libraries", "strata-libraries", "application");

  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
  private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");
  private static final FilePermissions WRITABLE_BY_ALL = FilePermissions.fromOctalString("777");

  private ServiceImage() {}

  /** The image's name and tag, e.g. {@code strata/ingest:0.1.0-SNAPSHOT} (never {@code latest}). */
  public static String reference(ServiceSpec service, String version) {
    return "strata/" + service.name() + ":" + version;
  }

  /** The JVM command: no shell, so options come from the JDK_JAVA_OPTIONS variable if at all. */
  public static List<String> entrypoint() {
    return List.of(
        JavaRuntime.JAVA_HOME + "/bin/java",
        "-XX:MaxRAMPercentage=75.0",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-Djava.io.tmpdir=/tmp",
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
        "-jar",
        APP_DIR + "/quarkus-run.jar");
  }

  /**
   * Builds {@code service}'s image from {@code quarkusApp} into {@code tarball}; layers already in
   * {@code cache} are reused. Returns the manifest digest ({@code sha256:...}).
   */
  public static String build(
      ServiceSpec service,
      String version,
      Path quarkusApp,
      JavaRuntime runtime,
      Path tarball,
      Path cache)
      throws Exception {
    if (!Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException(
          quarkusApp + " has no quarkus-run.jar: package services/" + service.name() + " first");
    }
    JibContainerBuilder image =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .setCreationTime(Instant.EPOCH)
            .addFileEntriesLayer(runtimeLayer(runtime))
            .addFileEntriesLayer(
                appLayer("libraries", quarkusApp, p -> inLib(quarkusApp, p) && !isStrataLibrary(p)))
            .addFileEntriesLayer(
                appLayer(
                    "strata-libraries",
                    quarkusApp,
                    p -> inLib(quarkusApp, p) && isStrataLibrary(p)))
            .addFileEntriesLayer(appLayer("application", quarkusApp, p -> !inLib(quarkusApp, p)))
            .setEntrypoint(entrypoint())
            .setUser(JavaRuntime.USER_ID + ":" + JavaRuntime.USER_ID)
            .setWorkingDirectory(AbsoluteUnixPath.get(APP_DIR))
            .setEnvironment(environment(service))
            .setLabels(labels(service, version));
    image.addExposedPort(Port.tcp(ServiceSpec.HTTP_PORT));
    service.dimsePort().ifPresent(port -> image.addExposedPort(Port.tcp(port)));

    Files.createDirectories(tarball.getParent());
    JibContainer built =
        image.containerize(
            Containerizer.to(TarImage.at(tarball).named(reference(service, version)))
                .setOfflineMode(true)
                .setApplicationLayersCache(cache.resolve("application"))
                .setBaseImageLayersCache(cache.resolve("base"))
                .setToolName("strata-images"));
    return built.getDigest().toString();
  }

  /**
   * Container defaults: every listener on all interfaces (the local profile binds loopback), HTTP
   * on {@link ServiceSpec#HTTP_PORT}. The chart sets the rest.
   */
  public static Map<String, String> environment(ServiceSpec service) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", JavaRuntime.JAVA_HOME);
    env.put("QUARKUS_HTTP_HOST", "0.0.0.0");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(ServiceSpec.HTTP_PORT));
    if (service.dimsePort().isPresent()) {
      String prefix = "STRATA_" + service.name().toUpperCase().replace('-', '_');
      // Only the host: an environment variable would outrank the chart's config file for the port.
      env.put(prefix + "_DIMSE_HOST", "0.0.0.0");
    }
    return env;
  }

  static Map<String, String> labels(ServiceSpec service, String version) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", service.imageName());
    labels.put("org.opencontainers.image.version", version);
    labels.put(
        "org.opencontainers.image.description",
        "Strata " + service.name() + " service (vendor-neutral archive for medical images)");
    labels.put("org.opencontainers.image.vendor", "Strata");
    labels.put("org.strata.http-port", Integer.toString(ServiceSpec.HTTP_PORT));
    service
        .dimsePort()
        .ifPresent(port -> labels.put("org.strata.dimse-port", Integer.toString(port)));
    return labels;
  }

  private static FileEntriesLayer runtimeLayer(JavaRuntime runtime) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("java-runtime");
    for (Path file : filesUnder(runtime.javaHome())) {
      layer.addEntry(
          file,
          AbsoluteUnixPath.get(JavaRuntime.JAVA_HOME)
              .resolve(runtime.javaHome().relativize(file).toString()),
          Files.isExecutable(file) ? EXECUTABLE : READABLE);
    }
    for (Path library : runtime.nativeLibraries()) {
      layer.addEntry(library, AbsoluteUnixPath.get(library.toString()), EXECUTABLE);
    }
    for (Path file : filesUnder(runtime.etc())) {
      layer.addEntry(
          file,
          AbsoluteUnixPath.get("/etc").resolve(runtime.etc().relativize(file).toString()),
          READABLE);
    }
    // Writable scratch space when no volume is mounted there (the chart mounts an emptyDir).
    layer.addEntry(runtime.etc(), AbsoluteUnixPath.get("/tmp"), WRITABLE_BY_ALL);
    return layer.build();
  }

  private static FileEntriesLayer appLayer(String name, Path quarkusApp, Predicate<Path> include)
      throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    for (Path file : filesUnder(quarkusApp)) {
      if (include.test(file)) {
        // Owned by root and read-only for the service's user: it cannot change its own code.
        layer.addEntry(
            file,
            AbsoluteUnixPath.get(APP_DIR).resolve(quarkusApp.relativize(file).toString()),
            READABLE);
      }
    }
    return layer.build();
  }

  private static boolean inLib(Path quarkusApp, Path file) {
    return quarkusApp.relativize(file).startsWith("lib");
  }

  private static boolean isStrataLibrary(Path file) {
    return file.getFileName().toString().startsWith("org.strata.");
  }

  /** Regular files under {@code dir}, in name order (the order of the layer's entries). */
  static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return new ArrayList<>(paths.filter(Files::isRegularFile).sorted().toList());
    }
  }
}
