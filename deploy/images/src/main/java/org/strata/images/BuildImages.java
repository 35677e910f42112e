package org.strata.images;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code make images}: the OCI image tarball of every service, {@code
 * <output>/strata-<service>.tar}, from the services' packaged {@code target/quarkus-app}.
 *
 * <p>Arguments: the repository root, the output directory, the version (the images' tag) and the
 * services ({@link ServiceSpec#parseList}).
 */
public final class BuildImages {

  private BuildImages() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: BuildImages <root> <output dir> <version> <services>");
    }
    Path root = Path.of(args[0]).toAbsolutePath();
    Path output = Path.of(args[1]).toAbsolutePath();
    String version = args[2];
    Files.createDirectories(output);
    JavaRuntime runtime = JavaRuntime.assemble(output.resolve("runtime"));
    for (ServiceSpec service : ServiceSpec.parseList(args[3])) {
      Path tarball = tarball(output, service);
      String digest =
          ServiceImage.build(
              service,
              version,
              quarkusApp(root, service),
              runtime,
              tarball,
              output.resolve("cache"));
      System.out.printf(
          "%s %s %s (%d MB)%n",
          ServiceImage.reference(service, version),
          digest,
          root.relativize(tarball),
          Files.size(tarball) >> 20);
    }
  }

  public static Path tarball(Path output, ServiceSpec service) {
    return output.resolve(service.imageName() + ".tar");
  }

  public static Path quarkusApp(Path root, ServiceSpec service) {
    return root.resolve("services").resolve(service.name()).resolve("target/quarkus-app");
  }
}
