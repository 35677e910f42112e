package org.strata.images;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The runtime every image starts from, assembled from this machine without any registry (ADR 0021):
 * a Java runtime cut by jlink from the build's JDK, the C libraries it links against (found with
 * {@code ldd}), and the few files a JVM looks for in {@code /etc}. No shell, no package manager.
 */
public final class JavaRuntime {

  /** Where the runtime lives in the image. */
  public static final String JAVA_HOME = "/opt/java";

  /** The unprivileged user the services run as (and its group). */
  public static final int USER_ID = 10001;

  /**
   * The JDK modules the services need (Quarkus, Kafka's client, the PostgreSQL drivers, the MinIO
   * SDK, ImageIO for rendered WADO-RS); modules this JDK does not have (jdk.crypto.ec is part of
   * java.base from 22 on) are left out.
   */
  static final List<String> MODULES =
      List.of(
          "java.base",
          "java.compiler",
          "java.desktop",
          "java.instrument",
          "java.logging",
          "java.management",
          "java.naming",
          "java.net.http",
          "java.scripting",
          "java.security.jgss",
          "java.security.sasl",
          "java.sql",
          "java.transaction.xa",
          "java.xml",
          "jdk.crypto.cryptoki",
          "jdk.crypto.ec",
          "jdk.jfr",
          "jdk.management",
          "jdk.management.jfr",
          "jdk.naming.dns",
          "jdk.net",
          "jdk.unsupported",
          "jdk.zipfs");

  /** Native libraries for a desktop or sound device, which a headless server never loads. */
  private static final Set<String> NOT_LOADED_HEADLESS =
      Set.of("libawt_xawt.so", "libjawt.so", "libjsound.so", "libsplashscreen.so");

  private final Path javaHome;
  private final Path etc;
  private final List<Path> nativeLibraries;

  private JavaRuntime(Path javaHome, Path etc, List<Path> nativeLibraries) {
    this.javaHome = javaHome;
    this.etc = etc;
    this.nativeLibraries = nativeLibraries;
  }

  /** The jlink output, copied to {@link #JAVA_HOME}. */
  public Path javaHome() {
    return javaHome;
  }

  /** Files for the image's {@code /etc} (passwd, group, nsswitch.conf). */
  public Path etc() {
    return etc;
  }

  /**
   * Host files (absolute paths, copied to the same path in the image) the runtime links against.
   */
  public List<Path> nativeLibraries() {
    return nativeLibraries;
  }

  /**
   * Assembles the runtime under {@code workDir}, or reuses the one a previous call left there
   * (jlink takes half a minute; its output is the same for the same JDK).
   */
  public static JavaRuntime assemble(Path workDir) throws IOException, InterruptedException {
    Path javaHome = workDir.resolve("java");
    if (!Files.isRegularFile(javaHome.resolve("release"))) {
      deleteRecursively(javaHome);
      jlink(javaHome);
    }
    Path etc = workDir.resolve("etc");
    writeEtc(etc);
    return new JavaRuntime(javaHome, etc, nativeLibrariesOf(javaHome));
  }

  private static void jlink(Path output) {
    Set<String> available =
        ModuleFinder.ofSystem().findAll().stream()
            .map(ModuleReference::descriptor)
            .map(d -> d.name())
            .collect(Collectors.toSet());
    String modules = MODULES.stream().filter(available::contains).collect(Collectors.joining(","));
    ToolProvider jlink =
        ToolProvider.findFirst("jlink")
            .orElseThrow(() -> new IllegalStateException("this JDK has no jlink (a JRE?)"));
    StringWriter out = new StringWriter();
    int status =
        jlink.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "--add-modules",
            modules,
            "--strip-debug",
            "--no-header-files",
            "--no-man-pages",
            "--compress=zip-6",
            "--output",
            output.toString());
    if (status != 0) {
      throw new IllegalStateException("jlink failed (" + status + "): " + out);
    }
  }

  private static void writeEtc(Path etc) throws IOException {
    Files.createDirectories(etc);
    // The JVM reads user.home from here; a numeric user without an entry works too.
    write(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\n"
            + "strata:x:"
            + USER_ID
            + ":"
            + USER_ID
            + ":strata:/tmp:/sbin/nologin\n");
    write(etc.resolve("group"), "root:x:0:\nstrata:x:" + USER_ID + ":\n");
    // Kubernetes mounts /etc/hosts and /etc/resolv.conf; glibc looks at both in this order.
    write(etc.resolve("nsswitch.conf"), "hosts: files dns\n");
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /**
   * The shared libraries outside the runtime that its executables and libraries need, including the
   * dynamic loader, as {@code ldd} resolves them on this machine.
   */
  private static List<Path> nativeLibrariesOf(Path javaHome)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("ldd");
    command.add(javaHome.resolve("bin/java").toString());
    try (Stream<Path> files = Files.walk(javaHome.resolve("lib"))) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".so"))
          .filter(f -> !NOT_LOADED_HEADLESS.contains(f.getFileName().toString()))
          .sorted()
          .forEach(f -> command.add(f.toString()));
    }
    Process ldd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (ldd.waitFor() != 0) {
      throw new IllegalStateException("ldd failed: " + output);
    }
    return parseLdd(output, javaHome);
  }

  /**
   * Paths in {@code ldd} output lines such as {@code libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6
   * (0x...)} and {@code /lib64/ld-linux-x86-64.so.2 (0x...)}, without the runtime's own libraries
   * and without the ones ldd cannot place (libjvm, found through the runtime's RPATH).
   */
  static List<Path> parseLdd(String output, Path javaHome) {
    TreeMap<String, Path> found = new TreeMap<>();
    Set<String> lines = new TreeSet<>(output.lines().map(String::trim).toList());
    for (String line : lines) {
      String candidate;
      int arrow = line.indexOf("=>");
      if (arrow >= 0) {
        candidate = line.substring(arrow + 2).trim();
      } else if (line.startsWith("/") && line.contains(" (0x")) {
        candidate = line;
      } else {
        continue;
      }
      int space = candidate.indexOf(' ');
      String path = space < 0 ? candidate : candidate.substring(0, space);
      if (!path.startsWith("/")) {
        continue; // "not found", or the kernel's vdso
      }
      Path library = Path.of(path).normalize();
      if (!library.startsWith(javaHome.toAbsolutePath().normalize())) {
        found.put(library.toString(), library);
      }
    }
    return List.copyOf(found.values());
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
