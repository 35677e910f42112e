package org.strata.bench.chaos;

import static org.strata.bench.chaos.ChaosSupport.env;
import static org.strata.bench.chaos.ChaosSupport.freePort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.RestartPolicy;
import org.strata.platform.ServiceProcess;

/**
 * {@code make chaos}: the kill suite. Parallel STOW-RS and C-STORE senders store into the archive
 * (ingest, index, query on the embedded platform, every process supervised as under {@code make
 * run}) while the suite kills -9, one at a time and mid-run, each service and each platform server;
 * the supervisor restarts it. Every answer goes to a ledger. Afterwards every acknowledged instance
 * must be retrievable byte for byte and indexed exactly once, and every refused one absent
 * everywhere or (stored, only the answer lost) fully stored and indexed.
 *
 * <p>Environment: {@code STRATA_CHAOS_VICTIMS} (default {@code
 * ingest,index,query,kafka,postgres,s3proxy}), {@code STRATA_CHAOS_SECONDS} (each victim's phase,
 * 60), {@code STRATA_CHAOS_KILL_AFTER} (seconds into a phase, 20), {@code STRATA_CHAOS_STOW} and
 * {@code STRATA_CHAOS_CSTORE} (senders of each kind, 2 each).
 */
public final class KillSuite {
  private static final List<String> ALL_VICTIMS =
      List.of("ingest", "index", "query", "kafka", "postgres", "s3proxy");

  private final Path work;
  private final Path ingestJar;
  private final Path indexJar;
  private final Path queryJar;
  private final Path dist;
  private volatile String phase = "warm-up";
  private volatile boolean sending = true;
  private final AtomicInteger qidoOk = new AtomicInteger();
  private final AtomicInteger qidoFailed = new AtomicInteger();

  /** What one victim's phase showed. */
  record PhaseResult(
      String victim,
      long pid,
      double backAfterSeconds,
      int restarts,
      double firstAckAfterKillSeconds,
      int qidoOk,
      int qidoFailed,
      long killedAtNanos) {}

  private KillSuite(Path work, Path dist, Path ingest, Path index, Path query) {
    this.work = work;
    this.dist = dist;
    this.ingestJar = ingest;
    this.indexJar = index;
    this.queryJar = query;
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(System.getProperty("strata.chaos.dir", "target/chaos")).toAbsolutePath();
    Path dist =
        Path.of(System.getProperty("strata.platform.dist", "libs/platform-dist/target/dist"));
    KillSuite suite =
        new KillSuite(
            work,
            dist,
            Path.of("services/ingest/target/quarkus-app/quarkus-run.jar"),
            Path.of("services/index/target/quarkus-app/quarkus-run.jar"),
            Path.of("services/query/target/quarkus-app/quarkus-run.jar"));
    int failures = suite.run();
    System.exit(failures == 0 ? 0 : 1);
  }

  private int run() throws Exception {
    List<String> victims =
        List.of(env("STRATA_CHAOS_VICTIMS", String.join(",", ALL_VICTIMS)).split(","));
    int seconds = Integer.parseInt(env("STRATA_CHAOS_SECONDS", "60"));
    int killAfter = Integer.parseInt(env("STRATA_CHAOS_KILL_AFTER", "20"));
    int stowSenders = Integer.parseInt(env("STRATA_CHAOS_STOW", "2"));
    int cstoreSenders = Integer.parseInt(env("STRATA_CHAOS_CSTORE", "2"));
    Instant began = Instant.now();
    Files.createDirectories(work);
    PlatformConfig config =
        ChaosSupport.platformConfig(work, dist, Component.KAFKA, Component.S3, Component.POSTGRES);
    long t0 = System.nanoTime();
    try (Platform platform = Platform.start(config);
        Ledger ledger = new Ledger(work.resolve("ledger.tsv"))) {
      platform.superviseRestarts(RestartPolicy.DEFAULT);
      Map<String, String> env = new HashMap<>(platform.addresses());
      int dimsePort = freePort();
      env.put("strata.ingest.dimse.port", Integer.toString(dimsePort));
      env.put("strata.query.dimse.port", Integer.toString(freePort()));
      ServiceProcess index = service("index", indexJar);
      ServiceProcess ingest = service("ingest", ingestJar);
      ServiceProcess query = service("query", queryJar);
      List<ServiceProcess> services = List.of(index, ingest, query);
      try {
        for (ServiceProcess s : services) {
          s.start(work.resolve("strata"), env);
        }
        double startup = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "Platform and services up in %.0f s; %d STOW-RS and %d C-STORE senders, %d s per"
                + " victim, kill after %d s%n",
            startup, stowSenders, cstoreSenders, seconds, killAfter);
        Map<String, Victim> byName = victims(platform, ingest, index, query);
        long run = System.currentTimeMillis();
        List<Thread> threads = new ArrayList<>();
        BooleanSupplier running = () -> sending;
        for (int i = 0; i < stowSenders; i++) {
          StowSender sender =
              new StowSender(
                  ingest.url() + "/dicomweb/studies",
                  new Sending(new ChaosInstances(run, i + 1), ledger, () -> phase, running));
          threads.add(Thread.ofPlatform().name("stow-" + i).start(sender));
        }
        for (int i = 0; i < cstoreSenders; i++) {
          CStoreSender sender =
              new CStoreSender(
                  dimsePort,
                  "STRATA",
                  new Sending(new ChaosInstances(run, 100 + i), ledger, () -> phase, running));
          threads.add(Thread.ofPlatform().name("cstore-" + i).start(sender));
        }
        threads.add(Thread.ofPlatform().name("qido-reader").start(() -> readQido(query.url())));
        Thread.sleep(5_000);
        List<PhaseResult> results = new ArrayList<>();
        for (String name : victims) {
          Victim victim = byName.get(name.trim());
          if (victim == null) {
            throw new IllegalArgumentException(
                "unknown victim " + name + "; known: " + byName.keySet());
          }
          results.add(phase(victim, seconds, killAfter, ledger));
        }
        phase = "after";
        sending = false;
        for (Thread t : threads) {
          t.join(Duration.ofMinutes(3));
        }
        long sendingEnded = System.nanoTime();
        Verifier verifier =
            new Verifier(
                query.url(),
                platform.jdbcUrl("strata"),
                platform.postgresUser(),
                platform.postgresPassword(),
                platform.s3Client(),
                PlatformConfig.DEFAULT_BUCKETS.getFirst());
        List<Ledger.Entry> entries = ledger.entries();
        awaitIndexed(verifier, entries);
        String reconciled = reconcileOrphans(ingest.url(), sendingEnded);
        awaitIndexed(verifier, entries);
        Map<Ledger.Entry, Verifier.Seen> seen = verifier.inspect(entries);
        Report report = new Report(results, entries, seen);
        String table = report.table();
        Duration total = Duration.between(began, Instant.now());
        String summary =
            String.format(
                "Run of %s, %d s in all (start-up %.0f s), %d s per victim, kill after %d s,"
                    + " %d STOW-RS + %d C-STORE senders; orphan reconciler: %s",
                began,
                total.toSeconds(),
                startup,
                seconds,
                killAfter,
                stowSenders,
                cstoreSenders,
                reconciled);
        System.out.println(summary);
        System.out.println(table);
        System.out.println(report.restarts());
        Files.writeString(
            work.resolve("report.md"), summary + "\n\n" + table + "\n" + report.restarts());
        System.out.println("Ledger: " + work.resolve("ledger.tsv"));
        return report.failures();
      } finally {
        sending = false;
        for (ServiceProcess s : services.reversed()) {
          s.stop();
        }
      }
    }
  }

  private PhaseResult phase(Victim victim, int seconds, int killAfter, Ledger ledger)
      throws Exception {
    long start = System.nanoTime();
    phase = victim.name();
    int okBefore = qidoOk.get();
    int failedBefore = qidoFailed.get();
    Thread.sleep(killAfter * 1000L);
    int restartsBefore = victim.restarts().getAsInt();
    long killedAt = System.nanoTime();
    long pid = victim.kill();
    System.out.printf("%s: killed pid %d (kill -9)%n", victim.name(), pid);
    long deadline = killedAt + Duration.ofMinutes(5).toNanos();
    while (!(victim.restarts().getAsInt() > restartsBefore && victim.ready().getAsBoolean())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(victim.name() + " did not come back within 5 minutes");
      }
      Thread.sleep(200);
    }
    double back = (System.nanoTime() - killedAt) / 1e9;
    System.out.printf("%s: back and ready %.1f s after the kill%n", victim.name(), back);
    long end = Math.max(start + seconds * 1_000_000_000L, System.nanoTime() + 10_000_000_000L);
    Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    double firstAck =
        ledger.entries().stream()
            .filter(e -> e.outcome() == Ledger.Outcome.ACKNOWLEDGED)
            .filter(e -> e.sentAtNanos() > killedAt)
            .mapToLong(Ledger.Entry::answeredAtNanos)
            .min()
            .stream()
            .mapToDouble(t -> (t - killedAt) / 1e9)
            .findFirst()
            .orElse(Double.NaN);
    return new PhaseResult(
        victim.name(),
        pid,
        back,
        victim.restarts().getAsInt() - restartsBefore,
        firstAck,
        qidoOk.get() - okBefore,
        qidoFailed.get() - failedBefore,
        killedAt);
  }

  /** A viewer's QIDO every 250 ms, so the query service's outage is seen from outside. */
  private void readQido(String queryUrl) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(queryUrl + "/dicomweb/studies?limit=5"))
            .header("Accept", "application/dicom+json")
            .timeout(Duration.ofSeconds(10))
            .build();
    while (sending) {
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        (status == 200 || status == 204 ? qidoOk : qidoFailed).incrementAndGet();
      } catch (IOException e) {
        qidoFailed.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits (up to 3 minutes) until every acknowledged instance has its index row. */
  private static void awaitIndexed(Verifier verifier, List<Ledger.Entry> entries) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Integer> rows = verifier.indexRows();
      long missing =
          entries.stream()
              .filter(e -> e.outcome() == Ledger.Outcome.ACKNOWLEDGED)
              .filter(e -> !rows.containsKey(e.sop()))
              .count();
      if (missing == 0) {
        return;
      }
      Thread.sleep(1000);
    }
  }

  /**
   * Runs ingest's orphan reconciler (ADR 0011; hourly in production) once the grace, longer than
   * the publish timeout, has passed since the last request: objects stored whose event was never
   * published (their sender got no answer or a failure) get it now.
   */
  private static String reconcileOrphans(String ingestUrl, long sendingEnded) throws Exception {
    Duration grace = Duration.ofSeconds(40);
    long wait = sendingEnded + grace.plusSeconds(2).toNanos() - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000);
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(ingestUrl + "/admin/reconcile?grace=" + grace + "&window=PT2H"))
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("reconcile answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private Map<String, Victim> victims(
      Platform platform, ServiceProcess ingest, ServiceProcess index, ServiceProcess query) {
    Map<String, Victim> map = new LinkedHashMap<>();
    for (ServiceProcess s : List.of(ingest, index, query)) {
      map.put(s.name(), new Victim(s.name(), s::serverProcess, s::ready, s::restarts));
    }
    map.put("kafka", platformVictim(platform, "kafka", Component.KAFKA));
    map.put("postgres", platformVictim(platform, "postgres", Component.POSTGRES));
    map.put("s3proxy", platformVictim(platform, "s3proxy", Component.S3));
    return map;
  }

  private static Victim platformVictim(Platform platform, String name, Component component) {
    return new Victim(
        name,
        () -> platform.serverProcess(component),
        () -> platform.isReady(component),
        () -> platform.restarts(component));
  }

  private static ServiceProcess service(String name, Path jar) throws IOException {
    return new ServiceProcess(name, freePort(), jar)
        .maxHeap("384m")
        .supervised(RestartPolicy.DEFAULT);
  }
}
