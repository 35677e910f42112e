package org.strata.bench.ingest;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench audit}: what recording every access costs (libs/audit, ADR 0035). STOW-RS
 * throughput and QIDO-RS latency with auditing off, on (each record forced to disk before the
 * answer) and on without the force, in the same run on the same platform; the variants take turns
 * in rounds so that a change of the machine's load touches each alike.
 */
public final class AuditBenchmark {
  private static final String[] VARIANTS = {"off", "on", "on, no fsync"};

  private AuditBenchmark() {}

  public static void run(
      Path work, Path dist, Path realm, Path ingestJar, Path indexJar, Path queryJar)
      throws Exception {
    int instances = Integer.getInteger("strata.bench.audit.instances", 1000);
    int queries = Integer.getInteger("strata.bench.audit.queries", 300);
    int rounds = Integer.getInteger("strata.bench.audit.rounds", 3);
    Path dir = Files.createDirectories(work.resolve("audit"));
    PlatformConfig config =
        PlatformConfig.forTests(
            dir.resolve("strata"),
            dist,
            realm,
            EnumSet.of(Component.KAFKA, Component.S3, Component.POSTGRES));
    try (Platform platform = Platform.start(config)) {
      ServiceProcess index = new ServiceProcess("index", freePort(), indexJar);
      index.start(dir.resolve("strata"), platform.addresses());
      List<ServiceProcess> ingests = new ArrayList<>();
      List<ServiceProcess> queriers = new ArrayList<>();
      try {
        for (int v = 0; v < VARIANTS.length; v++) {
          Map<String, String> props = variant(platform, v, "ingest");
          props.put("strata.ingest.read-your-writes.enabled", "false");
          props.put("strata.ingest.dimse.port", Integer.toString(freePort()));
          ServiceProcess ingest = new ServiceProcess("ingest", freePort(), ingestJar);
          ingest.start(dir.resolve("strata").resolve("ingest-" + v), props);
          ingests.add(ingest);
          Map<String, String> q = variant(platform, v, "query");
          q.put("strata.query.dimse.port", Integer.toString(freePort()));
          ServiceProcess query = new ServiceProcess("query", freePort(), queryJar);
          query.start(dir.resolve("strata").resolve("query-" + v), q);
          queriers.add(query);
        }
        Map<String, List<Double>> stow = new LinkedHashMap<>();
        Map<String, List<Double>> qido = new LinkedHashMap<>();
        for (String v : VARIANTS) {
          stow.put(v, new ArrayList<>());
          qido.put(v, new ArrayList<>());
        }
        long seed = 100;
        for (int v = 0; v < VARIANTS.length; v++) { // warm-up
          StowLoad.stow(
              ingests.get(v).url() + "/dicomweb/studies",
              SyntheticInstances.ct(100, 2, 2, seed++),
              10,
              4);
          qido(queriers.get(v).url(), 50);
        }
        for (int round = 0; round < rounds; round++) {
          for (int v = 0; v < VARIANTS.length; v++) {
            StowLoad.Result r =
                StowLoad.stow(
                    ingests.get(v).url() + "/dicomweb/studies",
                    SyntheticInstances.ct(instances, 2, 2, seed++),
                    10,
                    4);
            stow.get(VARIANTS[v]).add(r.perSecond());
            qido.get(VARIANTS[v]).addAll(qido(queriers.get(v).url(), queries));
          }
        }
        System.out.println(
            "| auditing | STOW-RS 2x2 px, 10/request, 4 clients: instances/s per round |"
                + " QIDO-RS `/studies?limit=10`, one client: p50 / p95 / p99 ms |");
        System.out.println("|---|---|---|");
        for (String v : VARIANTS) {
          double[] ms = qido.get(v).stream().mapToDouble(Double::doubleValue).sorted().toArray();
          System.out.printf(
              "| %s | %s | %.1f / %.1f / %.1f |%n",
              v,
              stow.get(v).stream().map(x -> "%.0f".formatted(x)).toList(),
              p(ms, 0.5),
              p(ms, 0.95),
              p(ms, 0.99));
        }
      } finally {
        for (ServiceProcess s : ingests) {
          s.stop();
        }
        for (ServiceProcess s : queriers) {
          s.stop();
        }
        index.stop();
      }
    }
  }

  private static Map<String, String> variant(Platform platform, int v, String service) {
    Map<String, String> props = new HashMap<>(platform.addresses());
    props.put("strata.audit.enabled", Boolean.toString(v != 0));
    props.put("strata.audit.spool.fsync", Boolean.toString(v != 2));
    return props;
  }

  /** Latencies (ms) of {@code count} QIDO-RS study searches, one after the other. */
  private static List<Double> qido(String base, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<Double> ms = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      HttpRequest rq =
          HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies?limit=10&offset=" + (i % 50)))
              .header("Accept", "application/dicom+json")
              .build();
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(rq, HttpResponse.BodyHandlers.ofByteArray());
      ms.add((System.nanoTime() - t0) / 1e6);
      if (r.statusCode() != 200 && r.statusCode() != 204) {
        throw new IllegalStateException("QIDO-RS answered " + r.statusCode());
      }
    }
    return ms;
  }

  private static double p(double[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
