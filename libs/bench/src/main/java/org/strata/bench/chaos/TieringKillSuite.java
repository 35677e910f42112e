package org.strata.bench.chaos;

import static org.strata.bench.chaos.ChaosSupport.connect;
import static org.strata.bench.chaos.ChaosSupport.count;
import static org.strata.bench.chaos.ChaosSupport.freePort;

import io.minio.MinioClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.strata.bench.tiering.TieringClient;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make chaos}, second part: kill -9 of storage-tiering after each step of a move (ADR 0031).
 * With ingest, index and query running on the platform's two S3 servers, for each step (copied,
 * verified, switch requested, switched) a fresh study is stored through STOW-RS and moved to {@code
 * cold} by storage-tiering started with its test-only fault point ({@code
 * strata.tiering.worker.pause-after}): the worker stops once a job reaches the step, the suite
 * kills the JVM (SIGKILL) and starts storage-tiering again without the fault point. Then the move
 * must finish, and every instance be readable byte for byte through query's WADO-RS, located by the
 * index on {@code cold}, its objects on {@code cold} only, and no object of the study left on
 * {@code hot} (no orphan, nothing lost).
 */
public final class TieringKillSuite {
  private static final List<String> STEPS =
      List.of("COPIED", "VERIFIED", "SWITCH_REQUESTED", "SWITCHED");
  private static final String TENANT = "local";
  private static final int INSTANCES = 3;
  private static final Duration CEILING = Duration.ofMinutes(3);

  private final Path work;
  private final Path dist;
  private final Map<String, Path> jars;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TieringKillSuite(Path work, Path dist, Map<String, Path> jars) {
    this.work = work;
    this.dist = dist;
    this.jars = jars;
  }

  /** What one step's kill showed. */
  record StepResult(
      String step,
      long pid,
      double finishedAfterRestartSeconds,
      int readable,
      int onColdInIndex,
      int hotLeft,
      Set<String> orphans) {
    boolean passed() {
      return readable == INSTANCES
          && onColdInIndex == INSTANCES
          && hotLeft == 0
          && orphans.isEmpty();
    }
  }

  public static void main(String[] args) throws Exception {
    Path work =
        Path.of(System.getProperty("strata.chaos.dir", "target/chaos-tiering")).toAbsolutePath();
    Path dist =
        Path.of(System.getProperty("strata.platform.dist", "libs/platform-dist/target/dist"));
    Map<String, Path> jars = new LinkedHashMap<>();
    for (String s : List.of("index", "ingest", "query", "storage-tiering")) {
      jars.put(s, Path.of("services/" + s + "/target/quarkus-app/quarkus-run.jar"));
    }
    int failures = new TieringKillSuite(work, dist, jars).run();
    System.exit(failures == 0 ? 0 : 1);
  }

  private int run() throws Exception {
    Files.createDirectories(work);
    PlatformConfig config =
        ChaosSupport.platformConfig(
            work, dist, Component.KAFKA, Component.S3, Component.S3_COLD, Component.POSTGRES);
    try (Platform platform = Platform.start(config)) {
      Map<String, String> env = new HashMap<>(platform.addresses());
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.query.dimse.port", Integer.toString(freePort()));
      // Moves as fast as the steps allow: the source goes as soon as the index has switched.
      env.put("strata.tiering.source-delete-grace", "PT0S");
      env.put("strata.tiering.worker.interval", "PT0.2S");
      env.put("strata.tiering.worker.index-poll", "PT0.2S");
      List<ServiceProcess> services = new ArrayList<>();
      for (String name : List.of("index", "ingest", "query")) {
        ServiceProcess s = new ServiceProcess(name, freePort(), jars.get(name)).maxHeap("384m");
        services.add(s);
        s.start(work.resolve("strata"), env);
      }
      String ingest = services.get(1).url();
      String query = services.get(2).url();
      MinioClient hot = platform.s3Client();
      MinioClient cold = TieringClient.cold(env);
      String hotBucket = PlatformConfig.DEFAULT_BUCKETS.getFirst();
      String coldBucket = env.get("strata.s3.tiers.cold.bucket");
      String jdbc = platform.jdbcUrl("strata");
      int tieringPort = freePort();
      List<StepResult> results = new ArrayList<>();
      long run = System.currentTimeMillis();
      try {
        for (int i = 0; i < STEPS.size(); i++) {
          String step = STEPS.get(i);
          ChaosInstances source = new ChaosInstances(run, 300 + i);
          List<ChaosInstances.Instance> stored = new ArrayList<>();
          for (int n = 0; n < INSTANCES; n++) {
            ChaosInstances.Instance instance = source.next();
            HttpResponse<String> r =
                http.send(
                    StowSender.request(ingest + "/dicomweb/studies", instance),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              throw new IllegalStateException("STOW-RS answered " + r.statusCode());
            }
            stored.add(instance);
          }
          String study = stored.getFirst().study();
          try (Connection c = connect(jdbc, platform)) {
            await(() -> onBucket(c, study, hotBucket) == INSTANCES, "the study indexed on hot");
          }

          Map<String, String> faulty = new HashMap<>(env);
          faulty.put("strata.tiering.worker.pause-after", step);
          ServiceProcess tiering =
              new ServiceProcess("storage-tiering", tieringPort, jars.get("storage-tiering"))
                  .maxHeap("384m");
          tiering.start(work.resolve("strata"), faulty);
          String request = TieringClient.moveToCold(tiering.url(), TENANT, study);
          try (Connection c = connect(jdbc, platform)) {
            await(() -> jobsIn(c, request, step) > 0, "a job of the move in " + step);
          }
          ProcessHandle jvm = tiering.serverProcess().orElseThrow();
          long pid = jvm.pid();
          jvm.destroyForcibly(); // kill -9
          jvm.onExit().get();
          tiering.stop();
          System.out.printf("storage-tiering: killed pid %d (kill -9) after %s%n", pid, step);

          long restarted = System.nanoTime();
          ServiceProcess again =
              new ServiceProcess("storage-tiering", tieringPort, jars.get("storage-tiering"))
                  .maxHeap("384m");
          again.start(work.resolve("strata"), env);
          try {
            await(
                () -> TieringClient.finished(again.url(), request),
                "the move finished after the restart");
            double after = (System.nanoTime() - restarted) / 1e9;
            int readable = 0;
            for (ChaosInstances.Instance instance : stored) {
              readable += readable(query, instance) ? 1 : 0;
            }
            int onCold;
            try (Connection c = connect(jdbc, platform)) {
              onCold = onBucket(c, study, coldBucket);
              Set<String> referenced = referencedKeys(c, study, coldBucket);
              Set<String> coldKeys = TieringClient.keys(cold, coldBucket, prefix(study));
              Set<String> orphans = new TreeSet<>(coldKeys);
              orphans.removeAll(referenced);
              Set<String> missing = new TreeSet<>(referenced);
              missing.removeAll(coldKeys);
              // Native pixel data has no frame index object (ADR 0073): its key names none.
              missing.removeIf(k -> k.endsWith(".frames"));
              orphans.addAll(missing.stream().map(k -> "missing: " + k).toList());
              int hotLeft = TieringClient.keys(hot, hotBucket, prefix(study)).size();
              results.add(new StepResult(step, pid, after, readable, onCold, hotLeft, orphans));
            }
          } finally {
            again.stop();
          }
        }
      } finally {
        for (ServiceProcess s : services.reversed()) {
          s.stop();
        }
      }
      return report(results);
    }
  }

  private int report(List<StepResult> results) throws IOException {
    StringBuilder table = new StringBuilder();
    table.append(
        "| killed after | pid | move finished after restart | readable (WADO-RS, same bytes)"
            + " | on cold in the index | objects left on hot | orphans | result |\n");
    table.append("|---|---|---|---|---|---|---|---|\n");
    int failures = 0;
    for (StepResult r : results) {
      failures += r.passed() ? 0 : 1;
      table.append(
          String.format(
              "| %s | %d | %.1f s | %d/%d | %d/%d | %d | %s | %s |%n",
              r.step(),
              r.pid(),
              r.finishedAfterRestartSeconds(),
              r.readable(),
              INSTANCES,
              r.onColdInIndex(),
              INSTANCES,
              r.hotLeft(),
              r.orphans().isEmpty() ? "none" : String.join(", ", r.orphans()),
              r.passed() ? "ok" : "FAILED"));
    }
    System.out.print(table);
    Files.writeString(work.resolve("report.md"), table.toString());
    return failures;
  }

  /** WADO-RS of the instance: the data set must be the one sent, byte for byte. */
  private boolean readable(String query, ChaosInstances.Instance instance) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        query
                            + "/dicomweb/studies/"
                            + instance.study()
                            + "/series/"
                            + instance.series()
                            + "/instances/"
                            + instance.sop()))
                .header(
                    "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      return false;
    }
    byte[] part = Verifier.firstPart(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    return part != null && instance.datasetSha256().equals(ChaosInstances.datasetSha256(part));
  }

  private static String prefix(String study) {
    return TENANT + "/" + study + "/";
  }

  /** The study's instances the index locates in {@code bucket}. */
  private static int onBucket(Connection c, String study, String bucket) {
    return count(
        c,
        "select count(*) from study st join series se on se.study_pk = st.pk"
            + " join instance i on i.series_pk = se.pk"
            + " join object_location l on l.instance_pk = i.pk"
            + " where st.tenant = ? and st.study_uid = ? and l.bucket = ?",
        TENANT,
        study,
        bucket);
  }

  private static int jobsIn(Connection c, String request, String state) {
    return count(
        c,
        "select count(*) from tiering.move_job where request_id = cast(? as uuid) and state = ?",
        request,
        state);
  }

  /** Every key the index names for the study's instances in {@code bucket}. */
  private static Set<String> referencedKeys(Connection c, String study, String bucket)
      throws Exception {
    Set<String> keys = new TreeSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select l.object_key, l.sidecar_key, l.frame_index_key from study st"
                + " join series se on se.study_pk = st.pk join instance i on i.series_pk = se.pk"
                + " join object_location l on l.instance_pk = i.pk"
                + " where st.tenant = ? and st.study_uid = ? and l.bucket = ?")) {
      ps.setString(1, TENANT);
      ps.setString(2, study);
      ps.setString(3, bucket);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (int i = 1; i <= 3; i++) {
            if (rs.getString(i) != null) {
              keys.add(rs.getString(i));
            }
          }
        }
      }
    }
    return keys;
  }

  /** Waits for the condition, looking every 200 ms, at most {@link #CEILING}. */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    ChaosSupport.await(condition, what, CEILING);
  }
}
