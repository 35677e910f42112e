package org.strata.bench.chaos;

import static org.strata.bench.chaos.ChaosSupport.await;
import static org.strata.bench.chaos.ChaosSupport.connect;
import static org.strata.bench.chaos.ChaosSupport.count;
import static org.strata.bench.chaos.ChaosSupport.env;
import static org.strata.bench.chaos.ChaosSupport.freePort;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.RestartPolicy;
import org.strata.platform.ServiceProcess;
import org.strata.testkit.StoreScpPeer;

/**
 * {@code make chaos}, third part: kill -9 of routing in the middle of sending a study. Index,
 * ingest and routing run supervised on the platform (as under {@code make run}); routing's rules
 * file has one catch-all STUDY rule to DCMTK's {@code storescp}, which keeps every object it
 * receives under a unique name ({@code +uf}, bit preserving). A study of {@code
 * STRATA_CHAOS_ROUTING_INSTANCES} instances is stored through STOW-RS; once {@code storescp} has
 * received half of it, the suite kills routing's JVM (SIGKILL) and the supervisor restarts it. Then
 * every job must end SENT, every instance ingest acknowledged must be at {@code storescp} with the
 * data set stored in S3, byte for byte; the instances received more than once (routing delivers at
 * least once) are counted and reported.
 */
public final class RoutingKillSuite {
  private static final String TENANT = "local";
  private static final String DESTINATION = "chaos-scp";
  private static final String AE_TITLE = "CHAOS-SCP";
  private static final Duration CEILING = Duration.ofMinutes(10);

  private final Path work;
  private final Path dist;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private RoutingKillSuite(Path work, Path dist) {
    this.work = work;
    this.dist = dist;
  }

  public static void main(String[] args) throws Exception {
    Path work =
        Path.of(System.getProperty("strata.chaos.dir", "target/chaos-routing")).toAbsolutePath();
    Path dist =
        Path.of(System.getProperty("strata.platform.dist", "libs/platform-dist/target/dist"));
    System.exit(new RoutingKillSuite(work, dist).run() ? 0 : 1);
  }

  private boolean run() throws Exception {
    int instances = Integer.parseInt(env("STRATA_CHAOS_ROUTING_INSTANCES", "400"));
    Instant began = Instant.now();
    Files.createDirectories(work);
    PlatformConfig config =
        ChaosSupport.platformConfig(work, dist, Component.KAFKA, Component.S3, Component.POSTGRES);
    int scpPort = freePort();
    try (Platform platform = Platform.start(config);
        StoreScpPeer scp = StoreScpPeer.start(scpPort, work.resolve("storescp"), AE_TITLE, "+uf")) {
      platform.superviseRestarts(RestartPolicy.DEFAULT);
      Path rules = work.resolve("routing-rules.yaml");
      Files.writeString(
          rules,
          ChaosSupport.routingRules(DESTINATION, AE_TITLE, scpPort, 1, Duration.ofSeconds(5)));
      Map<String, String> env = new HashMap<>(platform.addresses());
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.routing.rules-file", rules.toString());
      // The index too: STOW-RS waits (2 s at most, ADR 0010) until the index has the instance.
      ServiceProcess index = supervised("index");
      ServiceProcess ingest = supervised("ingest");
      ServiceProcess routing = supervised("routing");
      List<ServiceProcess> services = List.of(index, ingest, routing);
      try {
        for (ServiceProcess s : services) {
          s.start(work.resolve("strata"), env);
        }
        System.out.printf(
            "Platform, index, ingest and routing up after %d s; storing a study of %d instances%n",
            Duration.between(began, Instant.now()).toSeconds(), instances);
        List<ChaosInstances.Instance> acknowledged = store(ingest.url(), instances);
        String study = acknowledged.getFirst().study();
        System.out.printf("%d of %d acknowledged by ingest%n", acknowledged.size(), instances);

        // Mid-send: storescp has about half of the study (never all of it: checked below).
        int half = Math.max(1, acknowledged.size() / 2);
        await(() -> files(scp) >= half, "storescp receiving half of the study", CEILING);
        int receivedAtKill = files(scp);
        Victim victim =
            new Victim("routing", routing::serverProcess, routing::ready, routing::restarts);
        int restartsBefore = routing.restarts();
        long killedAt = System.nanoTime();
        long pid = victim.kill();
        boolean midSend = receivedAtKill < acknowledged.size();
        System.out.printf(
            "routing: killed pid %d (kill -9) with %d of %d instances at storescp%n",
            pid, receivedAtKill, acknowledged.size());
        await(
            () -> routing.restarts() > restartsBefore && routing.ready(),
            "routing restarted and ready",
            CEILING);
        double backAfter = (System.nanoTime() - killedAt) / 1e9;
        String jdbc = platform.jdbcUrl("strata");
        try (Connection c = connect(jdbc, platform)) {
          await(
              () -> jobs(c, null) > 0 && jobs(c, "SENT") == jobs(c, null),
              "every routing job SENT",
              CEILING);
          double sentAfter = (System.nanoTime() - killedAt) / 1e9;
          int jobs = jobs(c, null);
          int attempts =
              count(
                  c,
                  "select coalesce(sum(attempts), 0) from routing.job where destination = ?",
                  DESTINATION);
          Map<String, List<String>> received = received(scp);
          Result result =
              verify(
                  acknowledged,
                  received,
                  platform.s3Client(),
                  PlatformConfig.DEFAULT_BUCKETS.getFirst());
          String report =
              String.format(
                  "Run of %s, %d s in all; study %s...%n%n"
                      + "| instances acknowledged | at storescp at the kill | routing back after |"
                      + " all jobs SENT after the kill | jobs (SENT) | attempts | files at storescp"
                      + " | partial copies | missing | data set differs | instances received more"
                      + " than once | extra copies | result |%n"
                      + "|---|---|---|---|---|---|---|---|---|---|---|---|---|%n"
                      + "| %d | %d | %.1f s | %.1f s | %d (%d) | %d | %d | %d | %d | %d | %d | %d |"
                      + " %s |%n",
                  began,
                  Duration.between(began, Instant.now()).toSeconds(),
                  study.substring(0, Math.min(12, study.length())),
                  acknowledged.size(),
                  receivedAtKill,
                  backAfter,
                  sentAfter,
                  jobs,
                  jobs(c, "SENT"),
                  attempts,
                  result.files(),
                  result.partialCopies(),
                  result.missing().size(),
                  result.differing().size(),
                  result.duplicated(),
                  result.extraCopies(),
                  result.passed() && midSend ? "ok" : "FAILED");
          System.out.print(report);
          if (!midSend) {
            System.out.println(
                "FAILED: storescp had the whole study before the kill (raise"
                    + " STRATA_CHAOS_ROUTING_INSTANCES)");
          }
          result.missing().forEach(s -> System.out.println("missing at storescp: " + s));
          result.differing().forEach(s -> System.out.println("data set differs: " + s));
          result.unexpected().forEach(s -> System.out.println("not acknowledged, received: " + s));
          Files.writeString(work.resolve("report.md"), report);
          return result.passed() && midSend;
        }
      } finally {
        for (ServiceProcess s : services.reversed()) {
          s.stop();
        }
      }
    }
  }

  /** What the destination holds, against what ingest acknowledged. */
  record Result(
      int files,
      List<String> missing,
      List<String> differing,
      List<String> unexpected,
      int partialCopies,
      int duplicated,
      int extraCopies) {
    boolean passed() {
      return missing.isEmpty() && differing.isEmpty() && unexpected.isEmpty();
    }
  }

  /**
   * Every acknowledged instance must be at storescp with the data set stored in S3 (SHA-256 of
   * everything after the file meta information), which must be the data set sent. A copy with
   * another data set counts as partial (storescp writes as it receives: an association aborted by
   * the kill may leave a truncated file); an instance with only such copies is missing.
   */
  private static Result verify(
      List<ChaosInstances.Instance> acknowledged,
      Map<String, List<String>> received,
      MinioClient s3,
      String bucket)
      throws Exception {
    List<String> missing = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    int partial = 0;
    int duplicated = 0;
    int extra = 0;
    TreeSet<String> unexpected = new TreeSet<>(received.keySet());
    for (ChaosInstances.Instance i : acknowledged) {
      unexpected.remove(i.sop());
      String key = TENANT + "/" + i.study() + "/" + i.series() + "/" + i.sop() + ".dcm";
      String stored;
      try (InputStream in =
          s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
        stored = ChaosInstances.datasetSha256(in.readAllBytes());
      }
      if (!stored.equals(i.datasetSha256())) {
        differing.add(i.sop() + " (stored is not what was sent)");
      }
      List<String> copies = received.getOrDefault(i.sop(), List.of());
      long complete = copies.stream().filter(stored::equals).count();
      partial += (int) (copies.size() - complete);
      if (complete == 0) {
        missing.add(i.sop() + (copies.isEmpty() ? "" : " (only partial copies)"));
      } else if (complete > 1) {
        duplicated++;
        extra += (int) complete - 1;
      }
    }
    int files = received.values().stream().mapToInt(List::size).sum();
    return new Result(
        files, missing, differing, List.copyOf(unexpected), partial, duplicated, extra);
  }

  /** Stores the study through STOW-RS, four requests at a time; returns what was acknowledged. */
  private List<ChaosInstances.Instance> store(String ingest, int instances) throws Exception {
    ChaosInstances source = new ChaosInstances(System.currentTimeMillis(), 500, instances);
    List<ChaosInstances.Instance> all = new ArrayList<>();
    for (int n = 0; n < instances; n++) {
      all.add(source.next());
    }
    ConcurrentLinkedQueue<ChaosInstances.Instance> acknowledged = new ConcurrentLinkedQueue<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new ArrayList<>();
      for (ChaosInstances.Instance i : all) {
        done.add(
            pool.submit(
                () -> {
                  HttpResponse<String> r =
                      http.send(
                          StowSender.request(ingest + "/dicomweb/studies", i),
                          HttpResponse.BodyHandlers.ofString());
                  if (StowSender.acknowledged(r, i)) {
                    acknowledged.add(i);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    if (acknowledged.isEmpty()) {
      throw new IllegalStateException("ingest acknowledged nothing");
    }
    return List.copyOf(acknowledged);
  }

  /** The files storescp wrote so far. */
  private static int files(StoreScpPeer scp) {
    try {
      return scp.files().size();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** Per SOP Instance UID (from each file's meta information), the data set digest of each copy. */
  private static Map<String, List<String>> received(StoreScpPeer scp) throws Exception {
    Map<String, List<String>> bySop = new TreeMap<>();
    for (Path f : scp.files()) {
      byte[] file = Files.readAllBytes(f);
      String sop;
      String digest;
      try {
        sop = ChaosInstances.mediaStorageSopInstanceUid(file);
        digest = ChaosInstances.datasetSha256(file);
      } catch (RuntimeException unreadable) {
        sop = null;
        digest = "unreadable";
      }
      bySop
          .computeIfAbsent(sop == null ? f.getFileName().toString() : sop, k -> new ArrayList<>())
          .add(digest);
    }
    return bySop;
  }

  /** Routing's jobs to the destination, in {@code state} (any state when null). */
  private static int jobs(Connection c, String state) {
    return state == null
        ? count(c, "select count(*) from routing.job where destination = ?", DESTINATION)
        : count(
            c,
            "select count(*) from routing.job where destination = ? and state = ?",
            DESTINATION,
            state);
  }

  private static ServiceProcess supervised(String name) throws java.io.IOException {
    return ChaosSupport.packagedService(name).maxHeap("384m").supervised(RestartPolicy.DEFAULT);
  }
}
