package org.strata.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One of Strata's Quarkus services started by {@code make run} from its packaged {@code
 * quarkus-run.jar}, configured through environment variables with the platform's addresses, and
 * watched by the same process guard as the platform's servers.
 */
public final class ServiceProcess {
  private String maxHeap = "512m";
  private final String name;
  private final int httpPort;
  private final Path jar;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ManagedProcess process;
  private Duration startup = Duration.ZERO;
  private RestartPolicy restartPolicy;

  /**
   * @param spec {@code name:httpPort:path/to/quarkus-run.jar}
   */
  public static ServiceProcess parse(String spec) {
    String[] parts = spec.split(":", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("service spec is name:port:jar, got " + spec);
    }
    return new ServiceProcess(parts[0], Integer.parseInt(parts[1]), Path.of(parts[2]));
  }

  public ServiceProcess(String name, int httpPort, Path jar) {
    this.name = name;
    this.httpPort = httpPort;
    this.jar = jar.toAbsolutePath();
  }

  /** The JVM's maximum heap (-Xmx), 512m unless set before {@link #start}. */
  public ServiceProcess maxHeap(String xmx) {
    this.maxHeap = xmx;
    return this;
  }

  /**
   * Restart the service by {@code policy} whenever it exits unasked (as Kubernetes would), from
   * {@link #start} on; {@link #stop} still stops it for good.
   */
  public ServiceProcess supervised(RestartPolicy policy) {
    this.restartPolicy = policy;
    return this;
  }

  public String name() {
    return name;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Duration startup() {
    return startup;
  }

  /** Starts the service with the platform's addresses and waits for its readiness check. */
  public void start(Path dataDir, Map<String, String> platformAddresses) {
    Ports.requireFree("127.0.0.1", httpPort, name);
    long t0 = System.nanoTime();
    Map<String, String> env = new LinkedHashMap<>();
    platformAddresses.forEach((key, value) -> env.put(envName(key), value));
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    // The local profile: strata.auth.mode=local (loopback without a token is the local user) unless
    // STRATA_AUTH=required, which the services read themselves. Production runs the prod profile.
    env.putIfAbsent("QUARKUS_PROFILE", "local");
    List<String> command = new ArrayList<>(KafkaBroker.java());
    command.addAll(List.of("-Xms64m", "-Xmx" + maxHeap));
    // Extra JVM options for profiling (e.g. -XX:StartFlightRecording=filename=/tmp/%n.jfr), where
    // %n is the service's name.
    String extra = System.getenv("STRATA_SERVICE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      for (String option : extra.trim().split("\\s+")) {
        command.add(option.replace("%n", name));
      }
    }
    command.addAll(List.of("-jar", jar.toString()));
    Path dir = dataDir.resolve("services").resolve(name);
    process =
        ManagedProcess.start(
            name, command, dir.getParent(), dir.resolve(name + ".log"), env, "TERM", null);
    Waits.until(process, Duration.ofSeconds(120), this::ready);
    startup = Duration.ofNanos(System.nanoTime() - t0);
    if (restartPolicy != null) {
      process.supervise(restartPolicy, this::ready);
    }
  }

  /** Whether the service's readiness check ({@code /q/health/ready}) passes now. */
  public boolean ready() {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The service's JVM while it runs, for fault-injection tests that kill it. */
  public Optional<ProcessHandle> serverProcess() {
    return process == null ? Optional.empty() : process.server();
  }

  /** How often the supervisor restarted the service. */
  public int restarts() {
    return process == null ? 0 : process.restarts();
  }

  public long residentBytes() {
    return process == null ? -1 : process.residentBytes();
  }

  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(30));
    }
  }

  /**
   * {@code strata.postgres.jdbc-url} becomes {@code STRATA_POSTGRES_JDBC_URL}, as Quarkus reads it.
   */
  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");
  }
}
