package org.strata.bench.routing;

import static org.strata.bench.chaos.ChaosSupport.env;
import static org.strata.bench.chaos.ChaosSupport.freePort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.strata.bench.ProcessCpu;
import org.strata.bench.chaos.ChaosSupport;
import org.strata.bench.ingest.SyntheticInstances;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.ServiceProcess;
import org.strata.testkit.OrthancPeer;
import org.strata.testkit.StoreScpPeer;

/**
 * {@code make bench routing} (issue 17): a study of {@code STRATA_BENCH_ROUTING_INSTANCES} CT
 * instances (512 x 512 x 16 bits, 0.5 MB; default 1,000) stored through STOW-RS and forwarded to
 * DCMTK's {@code storescp}, first by Strata (platform, index, ingest and routing as packaged
 * services, as under {@code make run}; one INSTANCE rule to storescp), then in the same run by
 * Orthanc 1.10 from Debian (a Lua {@code OnStoredInstance} calling {@code SendToModality}) to a
 * storescp of its own. Each system first forwards {@code STRATA_BENCH_ROUTING_WARMUP} instances
 * (default 40) that are not measured. Prints instances/s, the delay from each acknowledgement to
 * the delivery at storescp ({@link Forwarding}), and the CPU seconds per 1,000 instances of every
 * process.
 */
public final class RoutingBenchmark {
  private static final String DESTINATION = "bench-scp";
  private static final String AE_TITLE = "BENCH-SCP";
  // storescp keeps a copy of each C-STORE under a unique name: a second delivery is counted.
  private static final String UNIQUE_NAMES = "+uf";
  private static final Duration CEILING = Duration.ofMinutes(10);
  private static final String LUA =
      """
      function OnStoredInstance(instanceId, tags, metadata, origin)
        SendToModality(instanceId, 'strata')
      end
      """;

  private RoutingBenchmark() {}

  public static void run(Path work, Path dist) throws Exception {
    int instances = Integer.parseInt(env("STRATA_BENCH_ROUTING_INSTANCES", "1000"));
    int warmup = Integer.parseInt(env("STRATA_BENCH_ROUTING_WARMUP", "40"));
    int clients = Integer.parseInt(env("STRATA_BENCH_ROUTING_CLIENTS", "4"));
    int parallelism = Integer.parseInt(env("STRATA_BENCH_ROUTING_PARALLELISM", "1"));
    Path dir = Files.createDirectories(work.resolve("routing"));
    // The same files (one study) go to both systems.
    List<byte[]> warm = SyntheticInstances.ct(warmup, 512, 512, 31);
    List<byte[]> study = SyntheticInstances.ct(instances, 512, 512, 32);
    System.out.printf(
        "Run of %s, load average %.1f: one study of %d CT instances (512x512x16 bit, 0.5 MB),"
            + " STOW-RS 1 instance a request from %d clients, after %d unmeasured ones. Delay:"
            + " from the client reading the STOW-RS 2xx that names the instance to the last write"
            + " of its file at storescp (file mtime; storescp answers the C-STORE after it)."
            + " Forwarded/s: instances delivered / (last delivery - first request).%n%n",
        Instant.now(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        instances,
        clients,
        warmup);
    System.out.println(
        "| system | instances sent / acknowledged / delivered | stored (STOW-RS) | forwarded | delay"
            + " ack to storescp p50 / p99 / max | extra copies at storescp |");
    System.out.println("|---|---|---|---|---|---|");
    strata(dir, dist, warm, study, clients, parallelism);
    orthanc(dir, warm, study, clients);
  }

  private static void strata(
      Path dir, Path dist, List<byte[]> warm, List<byte[]> study, int clients, int parallelism)
      throws Exception {
    int scpPort = freePort();
    try (Platform platform =
            Platform.start(
                ChaosSupport.platformConfig(
                    dir, dist, Component.KAFKA, Component.S3, Component.POSTGRES));
        StoreScpPeer scp =
            StoreScpPeer.start(scpPort, dir.resolve("storescp-strata"), AE_TITLE, UNIQUE_NAMES)) {
      Path rules = dir.resolve("routing-rules.yaml");
      Files.writeString(
          rules, ChaosSupport.routingRules(DESTINATION, AE_TITLE, scpPort, parallelism, null));
      Map<String, String> env = new HashMap<>(platform.addresses());
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.routing.rules-file", rules.toString());
      ServiceProcess index = ChaosSupport.packagedService("index");
      ServiceProcess ingest = ChaosSupport.packagedService("ingest");
      ServiceProcess routing = ChaosSupport.packagedService("routing");
      List<ServiceProcess> services = List.of(index, ingest, routing);
      try {
        for (ServiceProcess s : services) {
          s.start(dir.resolve("strata"), env);
        }
        ProcessCpu cpu =
            new ProcessCpu()
                .add("routing", routing::serverProcess)
                .add("ingest", ingest::serverProcess)
                .add("index", index::serverProcess)
                .add("s3proxy", () -> platform.serverProcess(Component.S3))
                .add("Kafka", () -> platform.serverProcess(Component.KAFKA))
                .add("PostgreSQL", () -> platform.serverProcess(Component.POSTGRES));
        measure(
            "Strata (routing: INSTANCE rule, parallelism %d; ingest read-your-writes)"
                .formatted(parallelism),
            ingest.url() + "/dicomweb/studies",
            scp,
            cpu,
            warm,
            study,
            clients);
        try (Connection c = ChaosSupport.connect(platform.jdbcUrl("strata"), platform)) {
          System.out.printf(
              "|   | routing jobs (warm-up included): %d, SENT %d, attempts %d | | | | |%n",
              ChaosSupport.count(
                  c, "select count(*) from routing.job where destination = ?", DESTINATION),
              ChaosSupport.count(
                  c,
                  "select count(*) from routing.job where destination = ? and state = 'SENT'",
                  DESTINATION),
              ChaosSupport.count(
                  c,
                  "select coalesce(sum(attempts), 0) from routing.job where destination = ?",
                  DESTINATION));
        }
      } finally {
        for (ServiceProcess s : services.reversed()) {
          s.stop();
        }
      }
    }
  }

  private static void orthanc(Path dir, List<byte[]> warm, List<byte[]> study, int clients)
      throws Exception {
    int scpPort = freePort();
    Path orthancDir = Files.createDirectories(dir.resolve("orthanc"));
    // OrthancPeer names its one modality "strata": here it is the storescp.
    try (StoreScpPeer scp =
            StoreScpPeer.start(scpPort, dir.resolve("storescp-orthanc"), AE_TITLE, UNIQUE_NAMES);
        OrthancPeer orthanc =
            OrthancPeer.start(orthancDir, 0, AE_TITLE, scpPort, freePort(), LUA)) {
      measure(
          "Orthanc 1.10 (Lua OnStoredInstance: SendToModality)",
          orthanc.url() + "/dicom-web/studies",
          scp,
          new ProcessCpu().add("Orthanc", orthanc::process),
          warm,
          study,
          clients);
    }
  }

  /**
   * Forwards the warm-up files, then the study, through the archive at {@code stowUrl} to {@code
   * scp}, and prints the study's figures with the CPU of the archive's processes ({@code cpu}),
   * storescp's and the load client's.
   */
  private static void measure(
      String system,
      String stowUrl,
      StoreScpPeer scp,
      ProcessCpu cpu,
      List<byte[]> warm,
      List<byte[]> study,
      int clients)
      throws Exception {
    cpu.add("storescp", scp::process)
        .add("load client", () -> Optional.of(ProcessHandle.current()));
    Forwarding forwarding = new Forwarding(stowUrl, new Deliveries(scp.dir()), clients);
    forwarding.run(warm, CEILING);
    Map<String, Double> before = cpu.sample();
    Forwarding.Result r = forwarding.run(study, CEILING);
    Map<String, Double> after = cpu.sample();
    report(system, r, ProcessCpu.perThousand(before, after, r.delivered()));
  }

  private static void report(String system, Forwarding.Result r, String cpu) {
    System.out.printf(
        "| %s | %d / %d / %d | %.0f instances/s (%.1f s) | %.0f instances/s (%.1f s) |"
            + " %.0f / %.0f / %.0f ms | %d |%n",
        system,
        r.sent(),
        r.acknowledged(),
        r.delivered(),
        r.storedPerSecond(),
        r.storeSeconds(),
        r.forwardedPerSecond(),
        r.forwardSeconds(),
        r.delayMs(0.5),
        r.delayMs(0.99),
        r.delayMs(1.0),
        r.extraCopies());
    System.out.printf("|   | CPU s per 1,000 instances: %s | | | | |%n", cpu);
  }
}
