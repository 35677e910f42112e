package org.strata.bench.ingest;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.strata.bench.PlatformCeilings;
import org.strata.bench.ProcessCpu;
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
      // Read-your-writes only: the index's own cost, measured before and after a change to it,
      // without the durable lines and Orthanc's (their figures do not move with the index).
      boolean rywOnly = Boolean.getBoolean("strata.bench.ingest.read-your-writes-only");
      if (!rywOnly) {
        durableLines(platform, dir, serviceJar, ct, ct10, tiny, large);
        twoReplicas(platform, dir, serviceJar, large);
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
      ProcessCpu rywCpu =
          platformCpu(platform)
              .add("ingest", ryw::serverProcess)
              .add("index", index::serverProcess);
      addClient(rywCpu);
      try {
        String stow = ryw.url() + "/dicomweb/studies";
        warmUp(stow, large, small, null, 0);
        List<byte[]> ryw1 = SyntheticInstances.ct(large, 512, 512, 10);
        report(
            "Strata + index",
            "STOW-RS 0.5 MB CT, 1/request, 4 clients, read-your-writes",
            rywCpu,
            () -> StowLoad.stow(stow, ryw1, 1, 4));
        List<byte[]> ryw10 = SyntheticInstances.ct(large, 512, 512, 11);
        report(
            "Strata + index",
            "STOW-RS 0.5 MB CT, 10/request, 4 clients, read-your-writes",
            rywCpu,
            () -> StowLoad.stow(stow, ryw10, 10, 4));
        List<byte[]> rywTiny = SyntheticInstances.ct(small, 2, 2, 12);
        report(
            "Strata + index",
            "STOW-RS 2x2 px, 10/request, 4 clients, read-your-writes",
            rywCpu,
            () -> StowLoad.stow(stow, rywTiny, 10, 4));
        System.out.println(
            "| Strata + index | wait for the index after durability (p50 / p99 / max) | | "
                + IndexWait.scrape(ryw.url())
                + " | | | |");
      } finally {
        ryw.stop();
        index.stop();
      }
      if (rywOnly) {
        return;
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
      ProcessCpu cpu = new ProcessCpu().add("Orthanc", orthanc::process);
      addClient(cpu);
      List<byte[]> ctB = SyntheticInstances.ct(large, 512, 512, 5);
      List<byte[]> ct10B = SyntheticInstances.ct(large, 512, 512, 6);
      List<byte[]> tinyB = SyntheticInstances.ct(small, 2, 2, 7);
      List<byte[]> restB = SyntheticInstances.ct(large, 512, 512, 8);
      report(
          "Orthanc 1.10",
          "STOW-RS 0.5 MB CT, 1/request, 4 clients",
          cpu,
          () -> StowLoad.stow(stow, ctB, 1, 4));
      report(
          "Orthanc 1.10",
          "STOW-RS 0.5 MB CT, 10/request, 4 clients",
          cpu,
          () -> StowLoad.stow(stow, ct10B, 10, 4));
      report(
          "Orthanc 1.10",
          "STOW-RS 2x2 px, 10/request, 4 clients",
          cpu,
          () -> StowLoad.stow(stow, tinyB, 10, 4));
      report(
          "Orthanc 1.10",
          "REST POST /instances 0.5 MB CT, 10 clients",
          cpu,
          () -> StowLoad.raw(orthanc.url() + "/instances", restB, 10));
      List<Path> dimseFiles =
          write(dir.resolve("cstore-orthanc"), SyntheticInstances.ct(large, 512, 512, 14));
      report(
          "Orthanc 1.10",
          "C-STORE 0.5 MB CT, 4 storescu (1 association each)",
          cpu,
          () -> StowLoad.storescu(dimseFiles, 4, "ORTHANC", orthanc.dicomPort()));
    }
  }

  /** Strata with the durable acknowledgement (the index not running): ingest's own lines. */
  private static void durableLines(
      Platform platform,
      Path dir,
      Path serviceJar,
      List<byte[]> ct,
      List<byte[]> ct10,
      List<byte[]> tiny,
      int large)
      throws Exception {
    // Durable-only acknowledgement (what C-STORE always does): STOW-RS does not wait for the
    // index, which is not running.
    Map<String, String> durableOnly = new HashMap<>(platform.addresses());
    durableOnly.put("strata.ingest.read-your-writes.enabled", "false");
    int dimsePort = freePort();
    durableOnly.put("strata.ingest.dimse.port", Integer.toString(dimsePort));
    ServiceProcess ingest = new ServiceProcess("ingest", freePort(), serviceJar);
    ingest.start(dir.resolve("strata"), durableOnly);
    ProcessCpu cpu = platformCpu(platform).add("ingest", ingest::serverProcess);
    addClient(cpu);
    try {
      String url = ingest.url();
      String stow = url + "/dicomweb/studies";
      warmUp(stow, large, tiny.size(), dir.resolve("cstore-warm"), dimsePort);
      measured(
          "Strata",
          "STOW-RS 0.5 MB CT, 1/request, 4 clients",
          url,
          cpu,
          () -> StowLoad.stow(stow, ct, 1, 4));
      measured(
          "Strata",
          "STOW-RS 0.5 MB CT, 10/request, 4 clients",
          url,
          cpu,
          () -> StowLoad.stow(stow, ct10, 10, 4));
      measured(
          "Strata",
          "STOW-RS 2x2 px, 10/request, 4 clients",
          url,
          cpu,
          () -> StowLoad.stow(stow, tiny, 10, 4));
      List<Path> dimseFiles =
          write(dir.resolve("cstore-strata"), SyntheticInstances.ct(large, 512, 512, 13));
      measured(
          "Strata",
          "C-STORE 0.5 MB CT, 4 storescu (1 association each)",
          url,
          cpu,
          () -> StowLoad.storescu(dimseFiles, 4, "STRATA", dimsePort));
      idleCost(cpu);
      System.out.printf(
          "| Strata | ingest service resident memory after the run | | %d MB | | | |%n",
          ingest.residentBytes() / (1024 * 1024));
    } finally {
      ingest.stop();
    }
  }

  /**
   * What a long-running service has before any line is measured: its code compiled by the JIT's
   * optimizing tier. Code run once per request or per C-STORE gets there after a few thousand
   * calls, so {@link #WARM_REQUESTS} small instances go one per request and as many by C-STORE;
   * then each line's own load on other files, as much as the line itself. With 40 instances only
   * (before session 9) the lines measured the JIT as much as ingest: warmed so, ingest's CPU per
   * 0.5 MB instance fell from 26.5 to 15.5 ms at 1 per request, 15.0 to 9.8 at 10 and 16.2 to 8.8
   * by C-STORE (docs/performance.md). {@code dimseDir} null: no C-STORE.
   */
  private static void warmUp(String stow, int large, int small, Path dimseDir, int dimsePort)
      throws Exception {
    StowLoad.stow(stow, SyntheticInstances.ct(WARM_REQUESTS, 2, 2, 21), 1, 4);
    if (dimseDir != null) {
      StowLoad.storescu(
          write(dimseDir.resolve("small"), SyntheticInstances.ct(WARM_REQUESTS, 2, 2, 22)),
          4,
          "STRATA",
          dimsePort);
    }
    StowLoad.stow(stow, SyntheticInstances.ct(large, 512, 512, 17), 1, 4);
    StowLoad.stow(stow, SyntheticInstances.ct(large, 512, 512, 18), 10, 4);
    StowLoad.stow(stow, SyntheticInstances.ct(Math.min(small, 500), 2, 2, 19), 10, 4);
    if (dimseDir != null) {
      StowLoad.storescu(
          write(dimseDir.resolve("large"), SyntheticInstances.ct(large, 512, 512, 20)),
          4,
          "STRATA",
          dimsePort);
    }
  }

  /** Requests (and C-STOREs) of the warm-up: enough for the JIT to compile per-request code. */
  private static final int WARM_REQUESTS = 3000;

  /**
   * Issue 20 item 6's check of the scaling model: two ingest replicas (durable acknowledgement)
   * sharing the 4 clients' requests in turn, as a load balancer would, with each process's CPU.
   */
  private static void twoReplicas(Platform platform, Path dir, Path serviceJar, int large)
      throws Exception {
    List<ServiceProcess> replicas = new java.util.ArrayList<>();
    try {
      ProcessCpu cpu = platformCpu(platform);
      for (int n = 1; n <= 2; n++) {
        Map<String, String> env = new HashMap<>(platform.addresses());
        env.put("strata.ingest.read-your-writes.enabled", "false");
        env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
        ServiceProcess replica = new ServiceProcess("ingest-" + n, freePort(), serviceJar);
        replica.start(dir.resolve("strata").resolve("replica-" + n), env);
        replicas.add(replica);
        cpu.add("ingest-" + n, replica::serverProcess);
      }
      addClient(cpu);
      List<String> urls = replicas.stream().map(r -> r.url() + "/dicomweb/studies").toList();
      List<String> serviceUrls = replicas.stream().map(ServiceProcess::url).toList();
      // Each replica warmed as the single one was (its JIT otherwise lands in the figure), then
      // the shared load once, so that both consumers have written derivatives before the idle
      // window.
      for (String url : urls) {
        warmUp(url, large, 500, null, 0);
      }
      double warmDone = derivativesDone(serviceUrls);
      int shared = Math.max(40, large);
      StowLoad.stow(urls, SyntheticInstances.ct(shared, 512, 512, 15), 10, 4);
      awaitDerivatives(serviceUrls, warmDone, shared);
      idleCost(cpu);
      double[] readBefore = derivativesRead(serviceUrls);
      double[] receivedBefore = s3Received(serviceUrls);
      double doneBefore = derivativesDone(serviceUrls);
      List<byte[]> ct10 = SyntheticInstances.ct(large, 512, 512, 16);
      Map<String, Double> before = cpu.sample();
      StowLoad.Result r = StowLoad.stow(urls, ct10, 10, 4);
      double drained = awaitDerivatives(serviceUrls, doneBefore, r.instances());
      Map<String, Double> after = cpu.sample();
      double[] readAfter = derivativesRead(serviceUrls);
      double[] receivedAfter = s3Received(serviceUrls);
      System.out.printf(
          "| Strata, 2 ingest replicas | STOW-RS 0.5 MB CT, 10/request, 4 clients (requests"
              + " alternate between the replicas) | %d | %.0f instances/s, %.1f MB/s | %d | | %s |%n",
          r.instances(),
          r.perSecond(),
          r.megabytesPerSecond(),
          r.failedRequests(),
          drained < 0 ? "not within 3 min" : "%.1f s".formatted(drained));
      printCpu(before, after, r.instances());
      // A replica's derivatives consumer gets the events of its partitions, whichever replica
      // stored the instance: what the other one stored it cannot take from memory (ADR 0015).
      System.out.printf(
          "|   | derivatives written from the kept header / read back from S3: %.0f / %.0f; S3"
              + " bytes received per instance %.1f KB | | | | | |%n",
          readAfter[0] - readBefore[0],
          readAfter[1] - readBefore[1],
          (receivedAfter[0] - receivedBefore[0]) / r.instances() / 1024);
    } finally {
      for (ServiceProcess replica : replicas) {
        replica.stop();
      }
    }
  }

  /**
   * Each process's CPU per second with no load, over {@code strata.bench.ingest.idle-seconds} (15):
   * the fixed cost a replica adds whatever its throughput (JIT, GC, the Kafka clients' polling),
   * which the scaling model adds to the cost per instance (docs/performance.md).
   */
  private static void idleCost(ProcessCpu cpu) throws Exception {
    int seconds = Integer.getInteger("strata.bench.ingest.idle-seconds", 15);
    Map<String, Double> before = cpu.sample();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    Map<String, Double> after = cpu.sample();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Double> e : after.entrySet()) {
      Double start = before.get(e.getKey());
      if (start != null) {
        out.append(out.isEmpty() ? "" : ", ")
            .append("%s %.1f".formatted(e.getKey(), (e.getValue() - start) * 1000 / elapsed));
      }
    }
    System.out.printf(
        "|   | idle, %d s after warm-up: CPU ms per second: %s | | | | | |%n", seconds, out);
  }

  private static double awaitDerivatives(List<String> serviceUrls, double before, int instances)
      throws Exception {
    long t0 = System.nanoTime();
    while (derivativesDone(serviceUrls) < before + instances) {
      if (System.nanoTime() - t0 > java.time.Duration.ofMinutes(3).toNanos()) {
        return -1;
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double derivativesDone(List<String> serviceUrls) throws Exception {
    double sum = 0;
    for (String url : serviceUrls) {
      sum += ServiceMetrics.derivativesDone(url);
    }
    return sum;
  }

  /** Derivatives written from the header kept in memory and from the object read back: {h, o}. */
  private static double[] derivativesRead(List<String> serviceUrls) throws Exception {
    double[] sum = new double[2];
    for (String url : serviceUrls) {
      sum[0] += ServiceMetrics.sum(url, "strata_derivatives_read_total", "from=\"header\"");
      sum[1] += ServiceMetrics.sum(url, "strata_derivatives_read_total", "from=\"object\"");
    }
    return sum;
  }

  private static double[] s3Received(List<String> serviceUrls) throws Exception {
    double[] sum = new double[1];
    for (String url : serviceUrls) {
      sum[0] += ServiceMetrics.s3Bytes(url)[1];
    }
    return sum;
  }

  private static void report(String system, String scenario, ProcessCpu cpu, Load load)
      throws Exception {
    Map<String, Double> before = cpu.sample();
    StowLoad.Result r = load.run();
    Map<String, Double> after = cpu.sample();
    System.out.printf(
        "| %s | %s | %d | %.0f instances/s, %.1f MB/s | %d | | |%n",
        system, scenario, r.instances(), r.perSecond(), r.megabytesPerSecond(), r.failedRequests());
    printCpu(before, after, r.instances());
  }

  private static void printCpu(Map<String, Double> before, Map<String, Double> after, int n) {
    System.out.printf(
        "|   | CPU s per 1,000 instances: %s | | | | | |%n",
        ProcessCpu.perThousand(before, after, n));
  }

  /** The platform's servers, by the names targets.md uses. */
  private static ProcessCpu platformCpu(Platform platform) {
    return new ProcessCpu()
        .add("s3proxy", () -> platform.serverProcess(Component.S3))
        .add("Kafka", () -> platform.serverProcess(Component.KAFKA))
        .add("PostgreSQL", () -> platform.serverProcess(Component.POSTGRES));
  }

  /** The load client: this JVM and the storescu processes it starts. */
  private static void addClient(ProcessCpu cpu) {
    cpu.add("load client", () -> java.util.Optional.of(ProcessHandle.current()));
  }

  interface Load {
    StowLoad.Result run() throws Exception;
  }

  /**
   * Runs a load against a Strata service and reports it with the S3 requests it cost per instance
   * (counted by the service, derivatives included) and how long after the last acknowledgement the
   * derivatives (sidecars; frame indexes of encapsulated pixel data, ADR 0073) were all written.
   */
  private static void measured(
      String system, String scenario, String serviceUrl, ProcessCpu cpu, Load load)
      throws Exception {
    double requests = ServiceMetrics.s3Requests(serviceUrl);
    double[] s3Bytes = ServiceMetrics.s3Bytes(serviceUrl);
    double kafkaRequests = ServiceMetrics.kafkaProducerRequests(serviceUrl);
    double derivatives = ServiceMetrics.derivativesDone(serviceUrl);
    List<String> steps = List.of("stow-part-read", "header", "receive", "s3-put", "kafka-publish");
    Map<String, double[]> before = new HashMap<>();
    for (String step : steps) {
      before.put(
          step, ServiceMetrics.timer(serviceUrl, "strata_ingest_step", "step=\"" + step + "\""));
    }
    Map<String, Double> cpuBefore = cpu.sample();
    StowLoad.Result r = load.run();
    double kafkaPerInstance =
        (ServiceMetrics.kafkaProducerRequests(serviceUrl) - kafkaRequests) / r.instances();
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
    // After the derivatives: what an instance costs in all, not only on the acknowledged path.
    Map<String, Double> cpuAfter = cpu.sample();
    double perInstance = (ServiceMetrics.s3Requests(serviceUrl) - requests) / r.instances();
    double[] s3BytesAfter = ServiceMetrics.s3Bytes(serviceUrl);
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
    printCpu(cpuBefore, cpuAfter, r.instances());
    System.out.printf(
        "|   | per instance: S3 %.1f KB sent, %.1f KB received (derivatives included); Kafka"
            + " produce round trips %.2f (on the acknowledged path) | | | | | |%n",
        (s3BytesAfter[0] - s3Bytes[0]) / r.instances() / 1024,
        (s3BytesAfter[1] - s3Bytes[1]) / r.instances() / 1024,
        kafkaPerInstance);
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
