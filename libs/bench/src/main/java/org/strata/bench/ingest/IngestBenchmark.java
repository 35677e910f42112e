package org.strata.bench.ingest;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.strata.bench.PlatformCeilings;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench ingest}: STOW-RS into Strata (acknowledged = in S3 and its event acked by
 * Kafka) and into Orthanc (Debian, default configuration) with the same generated files in the same
 * run, and the raw s3proxy PUT rate at the same concurrency as the ceiling.
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  public static void run(Path work, Path dist, Path realm, Path serviceJar, Path indexJar)
      throws Exception {
    int large = Integer.getInteger("strata.bench.ingest.instances", 300);
    int small = Integer.getInteger("strata.bench.ingest.small", 2000);
    Path dir = Files.createDirectories(work.resolve("ingest"));
    List<byte[]> warmup = SyntheticInstances.ct(40, 512, 512, 1);
    List<byte[]> ct = SyntheticInstances.ct(large, 512, 512, 2);
    List<byte[]> ct10 = SyntheticInstances.ct(large, 512, 512, 3);
    List<byte[]> tiny = SyntheticInstances.ct(small, 2, 2, 4);

    System.out.println(
        "| system | scenario | instances | result | failed requests | S3 requests per instance"
            + " (ack path + derivatives) | derivatives done after the last ack |");
    System.out.println("|---|---|---|---|---|---|---|");
    PlatformConfig config =
        PlatformConfig.forTests(
            dir.resolve("strata"),
            dist,
            realm,
            EnumSet.of(Component.KAFKA, Component.S3, Component.POSTGRES));
    try (Platform platform = Platform.start(config)) {
      // Durable-only acknowledgement (what C-STORE always does): STOW-RS does not wait for the
      // index, which is not running.
      Map<String, String> durableOnly = new HashMap<>(platform.addresses());
      durableOnly.put("strata.ingest.read-your-writes.enabled", "false");
      int dimsePort = freePort();
      durableOnly.put("strata.ingest.dimse.port", Integer.toString(dimsePort));
      ServiceProcess ingest = new ServiceProcess("ingest", freePort(), serviceJar);
      ingest.start(dir.resolve("strata"), durableOnly);
      try {
        String url = ingest.url();
        String stow = url + "/dicomweb/studies";
        StowLoad.stow(stow, warmup, 1, 4);
        measured(
            "Strata",
            "STOW-RS 0.5 MB CT, 1/request, 4 clients",
            url,
            () -> StowLoad.stow(stow, ct, 1, 4));
        measured(
            "Strata",
            "STOW-RS 0.5 MB CT, 10/request, 4 clients",
            url,
            () -> StowLoad.stow(stow, ct10, 10, 4));
        measured(
            "Strata",
            "STOW-RS 2x2 px, 10/request, 4 clients",
            url,
            () -> StowLoad.stow(stow, tiny, 10, 4));
        List<Path> dimseFiles =
            write(dir.resolve("cstore-strata"), SyntheticInstances.ct(large, 512, 512, 13));
        measured(
            "Strata",
            "C-STORE 0.5 MB CT, 4 storescu (1 association each)",
            url,
            () -> StowLoad.storescu(dimseFiles, 4, "STRATA", dimsePort));
        System.out.printf(
            "| Strata | ingest service resident memory after the run | | %d MB | | | |%n",
            ingest.residentBytes() / (1024 * 1024));
      } finally {
        ingest.stop();
      }
      if (Boolean.getBoolean("strata.bench.ingest.durable-only")) {
        return;
      }
      // Read-your-writes (ADR 0010, the default): the index runs beside ingest on the same two
      // cores and every STOW-RS answer waits until its instances are searchable.
      ServiceProcess index = new ServiceProcess("index", freePort(), indexJar);
      index.start(dir.resolve("strata"), platform.addresses());
      ServiceProcess ryw = new ServiceProcess("ingest", freePort(), serviceJar);
      ryw.start(dir.resolve("strata"), platform.addresses());
      try {
        String stow = ryw.url() + "/dicomweb/studies";
        StowLoad.stow(stow, SyntheticInstances.ct(40, 512, 512, 9), 1, 4);
        report(
            "Strata + index",
            "STOW-RS 0.5 MB CT, 1/request, 4 clients, read-your-writes",
            StowLoad.stow(stow, SyntheticInstances.ct(large, 512, 512, 10), 1, 4));
        report(
            "Strata + index",
            "STOW-RS 0.5 MB CT, 10/request, 4 clients, read-your-writes",
            StowLoad.stow(stow, SyntheticInstances.ct(large, 512, 512, 11), 10, 4));
        report(
            "Strata + index",
            "STOW-RS 2x2 px, 10/request, 4 clients, read-your-writes",
            StowLoad.stow(stow, SyntheticInstances.ct(small, 2, 2, 12), 10, 4));
        System.out.println(
            "| Strata + index | wait for the index after durability (p50 / p99 / max) | | "
                + IndexWait.scrape(ryw.url())
                + " | | | |");
      } finally {
        ryw.stop();
        index.stop();
      }
      double ceiling = PlatformCeilings.s3Puts(platform.s3Client(), 512 * 1024, 4, 300);
      System.out.printf(
          "| s3proxy alone (ceiling) | PUT 512 KB, 4 threads | 300 | %.0f PUT/s | | 1 | |%n",
          300 / ceiling);
    }

    try (OrthancServer orthanc =
        OrthancServer.start(dir.resolve("orthanc"), freePort(), freePort())) {
      String stow = orthanc.url() + "/dicom-web/studies";
      StowLoad.stow(stow, warmup, 1, 4);
      List<byte[]> ctB = SyntheticInstances.ct(large, 512, 512, 5);
      List<byte[]> ct10B = SyntheticInstances.ct(large, 512, 512, 6);
      List<byte[]> tinyB = SyntheticInstances.ct(small, 2, 2, 7);
      List<byte[]> restB = SyntheticInstances.ct(large, 512, 512, 8);
      report(
          "Orthanc 1.10",
          "STOW-RS 0.5 MB CT, 1/request, 4 clients",
          StowLoad.stow(stow, ctB, 1, 4));
      report(
          "Orthanc 1.10",
          "STOW-RS 0.5 MB CT, 10/request, 4 clients",
          StowLoad.stow(stow, ct10B, 10, 4));
      report(
          "Orthanc 1.10",
          "STOW-RS 2x2 px, 10/request, 4 clients",
          StowLoad.stow(stow, tinyB, 10, 4));
      report(
          "Orthanc 1.10",
          "REST POST /instances 0.5 MB CT, 10 clients",
          StowLoad.raw(orthanc.url() + "/instances", restB, 10));
      List<Path> dimseFiles =
          write(dir.resolve("cstore-orthanc"), SyntheticInstances.ct(large, 512, 512, 14));
      report(
          "Orthanc 1.10",
          "C-STORE 0.5 MB CT, 4 storescu (1 association each)",
          StowLoad.storescu(dimseFiles, 4, "ORTHANC", orthanc.dicomPort()));
    }
  }

  private static void report(String system, String scenario, StowLoad.Result r) {
    System.out.printf(
        "| %s | %s | %d | %.0f instances/s, %.1f MB/s | %d | | |%n",
        system, scenario, r.instances(), r.perSecond(), r.megabytesPerSecond(), r.failedRequests());
  }

  interface Load {
    StowLoad.Result run() throws Exception;
  }

  /**
   * Runs a load against a Strata service and reports it with the S3 requests it cost per instance
   * (counted by the service, derivatives included) and how long after the last acknowledgement the
   * derivatives (sidecars, frame indexes) were all written.
   */
  private static void measured(String system, String scenario, String serviceUrl, Load load)
      throws Exception {
    double requests = ServiceMetrics.s3Requests(serviceUrl);
    double derivatives = ServiceMetrics.derivativesDone(serviceUrl);
    List<String> steps = List.of("stow-part-read", "header", "receive", "s3-put", "kafka-publish");
    Map<String, double[]> before = new HashMap<>();
    for (String step : steps) {
      before.put(
          step, ServiceMetrics.timer(serviceUrl, "strata_ingest_step", "step=\"" + step + "\""));
    }
    StowLoad.Result r = load.run();
    StringBuilder where = new StringBuilder();
    for (String step : steps) {
      double[] after =
          ServiceMetrics.timer(serviceUrl, "strata_ingest_step", "step=\"" + step + "\"");
      double count = after[1] - before.get(step)[1];
      double ms = count == 0 ? 0 : (after[0] - before.get(step)[0]) / count * 1000;
      where.append(where.length() == 0 ? "" : ", ").append("%s %.1f".formatted(step, ms));
    }
    double drained =
        ServiceMetrics.awaitDerivatives(
            serviceUrl, derivatives, r.instances(), java.time.Duration.ofMinutes(3));
    double perInstance = (ServiceMetrics.s3Requests(serviceUrl) - requests) / r.instances();
    System.out.printf(
        "| %s | %s | %d | %.0f instances/s, %.1f MB/s | %d | %.2f | %s |%n",
        system,
        scenario,
        r.instances(),
        r.perSecond(),
        r.megabytesPerSecond(),
        r.failedRequests(),
        perInstance,
        drained < 0 ? "not within 3 min" : "%.1f s".formatted(drained));
    System.out.printf("|   | mean ms per instance in: %s | | | | | |%n", where);
  }

  private static List<Path> write(Path dir, List<byte[]> files) throws Exception {
    Files.createDirectories(dir);
    List<Path> paths = new java.util.ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      paths.add(Files.write(dir.resolve("i" + i + ".dcm"), files.get(i)));
    }
    return paths;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
