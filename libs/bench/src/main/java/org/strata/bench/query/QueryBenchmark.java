package org.strata.bench.query;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.strata.bench.ProcessCpu;
import org.strata.bench.ingest.OrthancServer;
import org.strata.bench.ingest.ServiceMetrics;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench query}: QIDO-RS latency of five typical searches against the query service at
 * two index sizes (100 k and 1 M instances by default, bulk-loaded in SQL), WADO-RS series
 * metadata, frame latency and whole-study throughput on real objects stored through ingest, and the
 * same against Orthanc (Debian, defaults, SQLite) loaded by STOW-RS, in the same run.
 *
 * <p>Sizes from the environment: {@code STRATA_BENCH_QUERY_INSTANCES} (1,000,000), {@code
 * STRATA_BENCH_QUERY_FIRST_INSTANCES} (100,000: the first measuring point), {@code
 * STRATA_BENCH_QUERY_ORTHANC_INSTANCES} (100,000; 0 leaves Orthanc out), {@code
 * STRATA_BENCH_QUERY_SERIES} (600 instances of 0.5 MB in the retrieved study), {@code
 * STRATA_BENCH_QUERY_ITERATIONS} (60 timed queries of each kind), {@code STRATA_BENCH_QUERY_WARMUP}
 * (40 untimed ones before them).
 */
public final class QueryBenchmark {
  private static final String TENANT = "local";
  private static final String JSON = "application/dicom+json";
  private static final String DICOM_ANY =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
  private static final String FRAME_ANY =
      "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
  private static final String[] QUERY_MODALITIES = {"CT", "MR", "CR"};
  // The retrieved study: beyond the bulk-loaded ones, one series of 512 x 512 CT slices.
  private static final int RETRIEVED_STUDY = 99_999_999;

  private final int iterations = env("STRATA_BENCH_QUERY_ITERATIONS", 60);
  // Untimed queries of each kind first: the first measuring point is also the query service's
  // first traffic, and with 10 its figures still carried JIT warm-up (1 M came out faster than
  // 100 k in the first runs).
  private final int warmup = env("STRATA_BENCH_QUERY_WARMUP", 40);
  private final List<String> loadRows = new ArrayList<>();

  private QueryBenchmark() {}

  public static void run(
      Path work, Path dist, Path realm, Path indexJar, Path ingestJar, Path queryJar)
      throws Exception {
    new QueryBenchmark().runAll(work, dist, realm, indexJar, ingestJar, queryJar);
  }

  /** The five searches, in the order of the table. */
  private enum Search {
    NAME(
        "patient-name wildcard, page of 100 (`PatientName=` a family name's first 4 letters `*`)",
        100),
    PATIENT_ID("patient ID (`PatientID=`, 2 studies)", 10),
    DATE_MODALITY("date range + modality, page of 100 (a year, `ModalitiesInStudy=CT`)", 100),
    ACCESSION("accession number (1 study)", 10),
    SERIES_OF_STUDY("series of a study (`/studies/{uid}/series`, 1-3 series)", 10);

    final String label;
    final int targetP95;

    Search(String label, int targetP95) {
      this.label = label;
      this.targetP95 = targetP95;
    }

    /** The i-th query of this kind over studies 0..studies-1: the same for every system. */
    String path(int i, int studies) {
      Random r = new Random(ordinal() * 1_000_003L + i);
      StudyPopulation.Study s = StudyPopulation.study(r.nextInt(studies));
      return switch (this) {
        case NAME -> {
          String family =
              StudyPopulation.normalize(
                  StudyPopulation.FAMILIES[r.nextInt(StudyPopulation.FAMILIES.length)][0]);
          yield "/studies?limit=100&PatientName="
              + enc(family.substring(0, Math.min(4, family.length())) + "*");
        }
        case PATIENT_ID -> "/studies?PatientID=" + enc(s.patientId());
        case DATE_MODALITY -> {
          int year = 2015 + r.nextInt(10);
          yield "/studies?limit=100&StudyDate="
              + year
              + "0101-"
              + year
              + "1231&ModalitiesInStudy="
              + QUERY_MODALITIES[r.nextInt(QUERY_MODALITIES.length)];
        }
        case ACCESSION -> "/studies?AccessionNumber=" + enc(s.accession());
        case SERIES_OF_STUDY -> "/studies/" + s.studyUid() + "/series";
      };
    }
  }

  private void runAll(
      Path work, Path dist, Path realm, Path indexJar, Path ingestJar, Path queryJar)
      throws Exception {
    int total = env("STRATA_BENCH_QUERY_INSTANCES", 1_000_000);
    int first = Math.min(total, env("STRATA_BENCH_QUERY_FIRST_INSTANCES", 100_000));
    int orthancInstances = env("STRATA_BENCH_QUERY_ORTHANC_INSTANCES", 100_000);
    int seriesSize = env("STRATA_BENCH_QUERY_SERIES", 600);
    int firstStudies = first / StudyPopulation.INSTANCES_PER_STUDY;
    int totalStudies = total / StudyPopulation.INSTANCES_PER_STUDY;
    int orthancStudies = orthancInstances / StudyPopulation.INSTANCES_PER_STUDY;
    Path dir = Files.createDirectories(work.resolve("query"));
    StudyPopulation.Study retrieved = StudyPopulation.study(RETRIEVED_STUDY);
    byte[] pixels = new byte[512 * 512 * 2];
    new Random(7).nextBytes(pixels);
    IntFunction<List<byte[]>> retrievedParts =
        i -> {
          List<byte[]> files = new ArrayList<>();
          for (int n = i * 10 + 1; n <= Math.min(seriesSize, i * 10 + 10); n++) {
            files.add(Part10Files.instance(retrieved, 1, n, 512, 512, pixels));
          }
          return files;
        };
    int retrievedRequests = (seriesSize + 9) / 10;

    Map<Search, HttpProbe.Timings[]> qido = new LinkedHashMap<>();
    for (Search q : Search.values()) {
      qido.put(q, new HttpProbe.Timings[3]);
    }
    Map<String, String[]> wado = new LinkedHashMap<>();
    load("machine load at start", loadAverage());

    // 1. Strata: the platform, the three services, real objects through ingest, then the bulk load.
    PlatformConfig config =
        PlatformConfig.forTests(
            dir.resolve("strata"),
            dist,
            realm,
            EnumSet.of(Component.KAFKA, Component.POSTGRES, Component.S3));
    try (Platform platform = Platform.start(config)) {
      Map<String, String> env = new LinkedHashMap<>(platform.addresses());
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.query.dimse.port", Integer.toString(freePort()));
      ServiceProcess index = new ServiceProcess("index", freePort(), indexJar);
      ServiceProcess ingest = new ServiceProcess("ingest", freePort(), ingestJar);
      ServiceProcess query = new ServiceProcess("query", freePort(), queryJar);
      // ADR 0045's before and after in the same run: two more query services that read every
      // instance's sidecar from S3 as before, with their sidecar cache and without it.
      ServiceProcess querySidecars = new ServiceProcess("query-sidecars", freePort(), queryJar);
      ServiceProcess queryUncached =
          new ServiceProcess("query-sidecars-uncached", freePort(), queryJar);
      ServiceProcess queryIndexUncached =
          new ServiceProcess("query-index-uncached", freePort(), queryJar);
      // A viewer's first open of the series (ADR 0075): a query service of its own, defaults.
      ServiceProcess queryFirstOpen = new ServiceProcess("query-first-open", freePort(), queryJar);
      try {
        index.start(dir.resolve("strata"), env);
        String explainNote = enableAutoExplain(platform);
        ingest.start(dir.resolve("strata"), env);
        query.start(dir.resolve("strata"), env);
        Map<String, String> sidecarEnv = new LinkedHashMap<>(env);
        sidecarEnv.put("strata.query.wado.metadata-from-index", "false");
        sidecarEnv.put("strata.query.dimse.port", Integer.toString(freePort()));
        // Data directories of their own: each holds its own audit spool.
        querySidecars.start(dir.resolve("strata").resolve("query-sidecars"), sidecarEnv);
        Map<String, String> uncachedEnv = new LinkedHashMap<>(sidecarEnv);
        uncachedEnv.put("strata.query.wado.sidecar-cache-size", "0");
        uncachedEnv.put("strata.query.dimse.port", Integer.toString(freePort()));
        queryUncached.start(dir.resolve("strata").resolve("query-uncached"), uncachedEnv);
        Map<String, String> indexUncachedEnv = new LinkedHashMap<>(env);
        indexUncachedEnv.put("strata.query.wado.sidecar-cache-size", "0");
        // ... and no object cache (ADR 0058): its whole-study retrieval is the "before" figure.
        indexUncachedEnv.put("strata.query.wado.object-cache-size", "0");
        indexUncachedEnv.put("strata.query.dimse.port", Integer.toString(freePort()));
        queryIndexUncached.start(
            dir.resolve("strata").resolve("query-index-uncached"), indexUncachedEnv);
        Map<String, String> firstOpenEnv = new LinkedHashMap<>(env);
        firstOpenEnv.put("strata.query.dimse.port", Integer.toString(freePort()));
        queryFirstOpen.start(dir.resolve("strata").resolve("query-first-open"), firstOpenEnv);

        StowStream.Result stow =
            StowStream.stow(
                ingest.url() + "/dicomweb/studies", retrievedRequests, retrievedParts, 4);
        load(
            "Strata: STOW-RS of the retrieved study ("
                + seriesSize
                + " x 0.5 MB CT, 10/request,"
                + " 4 clients)",
            String.format(
                "%.1f s, %.0f instances/s, %d failed requests",
                stow.seconds(), stow.perSecond(), stow.failedRequests()));
        long t0 = System.nanoTime();
        awaitIndexed(platform, retrieved.studyUid(), seriesSize, Duration.ofMinutes(5));
        awaitDerivatives(
            platform.s3Client(),
            TENANT + "/" + retrieved.studyUid() + "/" + retrieved.seriesUid(1) + "/",
            seriesSize,
            Duration.ofMinutes(5));
        load(
            "Strata: retrieved study indexed, sidecars written",
            String.format("%.1f s after the last STOW answer", (System.nanoTime() - t0) / 1e9));
        double[] metadataStep =
            ServiceMetrics.timer(ingest.url(), "strata_ingest_step", "step=\"metadata-json\"");
        load(
            "Strata: ingest's sidecar JSON for the event (ADR 0045, on the acknowledged path)",
            String.format(
                "%.2f ms per instance (%.0f instances)",
                metadataStep[1] == 0 ? 0 : metadataStep[0] / metadataStep[1] * 1000,
                metadataStep[1]));
        load(
            "Strata: the index's metadata rows of the retrieved study (instance_metadata)",
            query(
                platform,
                "select count(*) || ' rows, ' || coalesce(round(avg(octet_length(metadata))), 0)"
                    + " || ' bytes each (zlib), table ' || pg_total_relation_size("
                    + "'instance_metadata') / 1024 || ' KiB' from instance_metadata"));

        try (IndexBulkLoader loader =
            new IndexBulkLoader(
                platform.jdbcUrl("strata"),
                platform.postgresUser(),
                platform.postgresPassword(),
                TENANT)) {
          timedLoad(loader, 0, firstStudies, platform);
          String base = query.url() + "/dicomweb";
          for (Search q : Search.values()) {
            qido.get(q)[0] = qido(base, q, firstStudies);
          }
          timedLoad(loader, firstStudies, totalStudies, platform);
          for (Search q : Search.values()) {
            qido.get(q)[1] = qido(base, q, totalStudies);
          }
          wado(base, retrieved, seriesSize, wado, 0, retrievalCpu(query, platform));
          firstOpen(queryFirstOpen.url() + "/dicomweb", retrieved, seriesSize, wado);
          wholeStudy(
              queryIndexUncached.url() + "/dicomweb",
              retrieved,
              seriesSize,
              wado,
              0,
              retrievalCpu(queryIndexUncached, platform),
              " [object cache off: every object from S3]");
          metadataVariants(
              List.of(
                  new Variant("from the index, cache on (ADR 0045, default)", base),
                  new Variant(
                      "from the index, no cache (ADR 0045, uncached)",
                      queryIndexUncached.url() + "/dicomweb"),
                  new Variant(
                      "sidecars from S3, sidecar cache on (before)",
                      querySidecars.url() + "/dicomweb"),
                  new Variant(
                      "sidecars from S3, no sidecar cache (before, uncached)",
                      queryUncached.url() + "/dicomweb")),
              retrieved,
              seriesSize);
        }
        load("Strata: PostgreSQL log with slow plans (auto_explain)", explainNote);
        load(
            "Strata: query service resident memory after the run",
            query.residentBytes() / (1024 * 1024) + " MB");
      } finally {
        queryFirstOpen.stop();
        queryIndexUncached.stop();
        queryUncached.stop();
        querySidecars.stop();
        query.stop();
        ingest.stop();
        index.stop();
      }
    }

    // 2. Orthanc: the same retrieved study, then the small studies, 10 a request, 4 clients.
    if (orthancInstances > 0) {
      orthanc(
          dir,
          orthancStudies,
          retrieved,
          seriesSize,
          retrievedRequests,
          retrievedParts,
          qido,
          wado);
    }
    load("machine load at the end", loadAverage());

    print(qido, wado, first, total, orthancInstances, seriesSize);
  }

  private void orthanc(
      Path dir,
      int orthancStudies,
      StudyPopulation.Study retrieved,
      int seriesSize,
      int retrievedRequests,
      IntFunction<List<byte[]>> retrievedParts,
      Map<Search, HttpProbe.Timings[]> qido,
      Map<String, String[]> wado)
      throws Exception {
    try (OrthancServer orthanc =
        OrthancServer.start(dir.resolve("orthanc"), freePort(), freePort())) {
      String stowUrl = orthanc.url() + "/dicom-web/studies";
      StowStream.Result stow = StowStream.stow(stowUrl, retrievedRequests, retrievedParts, 4);
      load(
          "Orthanc: STOW-RS of the retrieved study (" + seriesSize + " x 0.5 MB CT)",
          String.format(
              "%.1f s, %.0f instances/s, %d failed requests",
              stow.seconds(), stow.perSecond(), stow.failedRequests()));
      byte[] tiny = new byte[2 * 2 * 2];
      load("machine load before loading Orthanc", loadAverage());
      StowStream.Result small =
          StowStream.stow(
              stowUrl,
              orthancStudies,
              s -> {
                StudyPopulation.Study st = StudyPopulation.study(s);
                List<byte[]> files = new ArrayList<>();
                for (int k = 1; k <= st.series(); k++) {
                  for (int n = 1; n <= st.instancesInSeries(k); n++) {
                    files.add(Part10Files.instance(st, k, n, 2, 2, tiny));
                  }
                }
                return files;
              },
              4);
      load(
          String.format(
              "Orthanc: STOW-RS of %,d small instances (%,d studies; 2x2 px, one study = 10 per"
                  + " request, 4 clients)",
              small.instances(), orthancStudies),
          String.format(
              "%.0f s, %.0f instances/s, %d failed requests",
              small.seconds(), small.perSecond(), small.failedRequests()));
      String base = orthanc.url() + "/dicom-web";
      for (Search q : Search.values()) {
        qido.get(q)[2] = qido(base, q, orthancStudies);
      }
      ProcessCpu cpu =
          new ProcessCpu()
              .add("Orthanc", orthanc::process)
              .add("load client", () -> java.util.Optional.of(ProcessHandle.current()));
      wado(base, retrieved, seriesSize, wado, 1, cpu);
    }
  }

  private void timedLoad(IndexBulkLoader loader, int from, int to, Platform platform)
      throws Exception {
    String before = loadAverage();
    long t0 = System.nanoTime();
    loader.load(from, to);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    loader.vacuumAnalyze();
    double vacuumSeconds = (System.nanoTime() - t1) / 1e9;
    long bytes =
        Long.parseLong(
            query(
                platform,
                "select sum(pg_total_relation_size(c.oid)) from pg_class c join pg_namespace n on"
                    + " n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'"
                    + " and c.relname <> 'bench_study'"));
    long instances = Long.parseLong(query(platform, "select count(*) from instance"));
    load(
        String.format(
            "Strata: bulk load of studies %,d-%,d (%,d instances) in SQL",
            from, to - 1, (long) (to - from) * StudyPopulation.INSTANCES_PER_STUDY),
        String.format(
            "%.0f s (%.0f instances/s), then VACUUM ANALYZE %.0f s; %,d instances indexed,"
                + " %,.0f bytes/instance in PostgreSQL; machine load before: %s",
            loadSeconds,
            (to - from) * StudyPopulation.INSTANCES_PER_STUDY / loadSeconds,
            vacuumSeconds,
            instances,
            bytes / (double) instances,
            before));
  }

  private HttpProbe.Timings qido(String base, Search q, int studies) throws Exception {
    return new HttpProbe().get(i -> base + q.path(i, studies), JSON, warmup, iterations);
  }

  /** Series metadata, frames and whole-study retrieval; column 0 Strata, 1 Orthanc. */
  private void wado(
      String base,
      StudyPopulation.Study study,
      int seriesSize,
      Map<String, String[]> table,
      int column,
      ProcessCpu cpu)
      throws Exception {
    HttpProbe probe = new HttpProbe();
    String series = base + "/studies/" + study.studyUid() + "/series/" + study.seriesUid(1);
    // The first request on its own: nothing of the series in any cache yet (Strata keeps sidecars
    // and frame indexes in memory, ADR 0013; Orthanc has its own caches).
    HttpProbe.Timings cold = probe.get(i -> series + "/metadata", JSON, 0, 1);
    row(
        table,
        "series metadata, " + seriesSize + " instances, first request (caches cold): ms",
        column,
        String.format("%.1f", cold.p(0.5)) + failures(cold));
    HttpProbe.Timings metadata = probe.get(i -> series + "/metadata", JSON, 2, 20);
    row(
        table,
        "series metadata, " + seriesSize + " instances: p50 / p95 / p99 ms (results)",
        column,
        metadata.percentiles() + " (" + (int) metadata.medianResults() + ")" + failures(metadata));
    Random r = new Random(11);
    int[] picks = r.ints(200, 1, seriesSize + 1).toArray();
    IntFunction<String> frame =
        i -> series + "/instances/" + study.sopUid(1, picks[i % picks.length]) + "/frames/1";
    Map<String, Double> framesBefore = cpu.sample();
    double[][] sourcesBefore = column == 0 ? objectSources(base) : null;
    HttpProbe.Timings frames = probe.get(frame, FRAME_ANY, 10, 100);
    if (frames.failures() > 0) {
      frames = probe.get(frame, "multipart/related; type=\"application/octet-stream\"", 10, 100);
    }
    Map<String, Double> framesAfter = cpu.sample();
    row(
        table,
        "frame 1 of a random instance (512x512x16 bit): p50 / p95 / p99 ms",
        column,
        frames.percentiles() + failures(frames));
    row(
        table,
        "frames: CPU s per 1,000 frames (warm-up and failed attempts included)",
        column,
        ProcessCpu.perThousand(framesBefore, framesAfter, 110));
    if (column == 0) {
      row(
          table,
          "frames: where each frame's object came from (ADR 0075), requests (mean ms waited):"
              + " cache / read ahead, waited for / queued, read first / not read ahead",
          column,
          objectSourcesSince(base, sourcesBefore));
    }
    wholeStudy(base, study, seriesSize, table, column, cpu, "");
    if (column == 0) {
      // Frames again now that the whole study was read: what the object cache gives a viewer
      // that reads a study it (or anyone) read recently.
      HttpProbe.Timings warm = probe.get(frame, FRAME_ANY, 10, 100);
      row(
          table,
          "frame 1 of a random instance, after the whole study was read (object cache warm): p50"
              + " / p95 / p99 ms",
          column,
          warm.percentiles() + failures(warm));
    }
  }

  /**
   * A viewer's first open of the series on a query service that has served nothing yet: one series
   * metadata request, then at once the frames (the same random instances as {@link #wado}), so the
   * frames race the object read-ahead (ADR 0070, 0075) rather than follow 22 metadata requests.
   */
  private void firstOpen(
      String base, StudyPopulation.Study study, int seriesSize, Map<String, String[]> table)
      throws Exception {
    HttpProbe probe = new HttpProbe();
    String series = base + "/studies/" + study.studyUid() + "/series/" + study.seriesUid(1);
    double[][] sourcesBefore = objectSources(base);
    HttpProbe.Timings metadata = probe.get(i -> series + "/metadata", JSON, 0, 1);
    int[] picks = new Random(11).ints(200, 1, seriesSize + 1).toArray();
    HttpProbe.Timings frames =
        probe.get(
            i -> series + "/instances/" + study.sopUid(1, picks[i % picks.length]) + "/frames/1",
            FRAME_ANY,
            10,
            100);
    row(
        table,
        "first open on a fresh query service: frame 1 of a random instance right after one series"
            + " metadata request: p50 / p95 / p99 ms",
        0,
        frames.percentiles() + failures(frames) + failures(metadata));
    row(
        table,
        "first open: where each frame's object came from, requests (mean ms waited): cache / read"
            + " ahead, waited for / queued, read first / not read ahead",
        0,
        objectSourcesSince(base, sourcesBefore));
  }

  private static final String[] OBJECT_SOURCES = {"cache", "waited", "promoted", "request"};

  /** The query service's {@code strata.query.wado.object.wait} timer by source: {sum, count}. */
  private static double[][] objectSources(String base) throws Exception {
    String service = base.substring(0, base.length() - "/dicomweb".length());
    double[][] sources = new double[OBJECT_SOURCES.length][];
    for (int k = 0; k < OBJECT_SOURCES.length; k++) {
      sources[k] =
          org.strata.bench.ingest.ServiceMetrics.timer(
              service, "strata_query_wado_object_wait", "source=\"" + OBJECT_SOURCES[k] + "\"");
    }
    return sources;
  }

  private static String objectSourcesSince(String base, double[][] before) throws Exception {
    double[][] after = objectSources(base);
    List<String> cells = new ArrayList<>();
    for (int k = 0; k < OBJECT_SOURCES.length; k++) {
      double n = after[k][1] - before[k][1];
      double seconds = after[k][0] - before[k][0];
      cells.add(String.format("%.0f (%.1f)", n, n == 0 ? 0 : seconds / n * 1000));
    }
    return String.join(" / ", cells);
  }

  /**
   * Whole-study retrieval by one client: the first retrieval on its own, then the median of 3, and
   * the CPU each process spent on the four.
   */
  private void wholeStudy(
      String base,
      StudyPopulation.Study study,
      int seriesSize,
      Map<String, String[]> table,
      int column,
      ProcessCpu cpu,
      String variant)
      throws Exception {
    HttpProbe probe = new HttpProbe();
    String studyUrl = base + "/studies/" + study.studyUid();
    String accept = DICOM_ANY;
    Map<String, Double> studyBefore = cpu.sample();
    HttpProbe.Timings first = probe.get(i -> studyUrl, accept, 0, 1);
    if (first.failures() > 0) {
      accept = "multipart/related; type=\"application/dicom\"";
      first = probe.get(i -> studyUrl, accept, 0, 1);
    }
    String acceptUsed = accept;
    HttpProbe.Timings retrieval = probe.get(i -> studyUrl, acceptUsed, 0, 3);
    Map<String, Double> studyAfter = cpu.sample();
    double firstMb = first.bytes() / 1e6;
    row(
        table,
        "whole study (" + seriesSize + " instances), one client, first retrieval: MB/s" + variant,
        column,
        String.format(
                "%.0f MB/s (%.0f MB in %.2f s)",
                firstMb / (first.p(0.5) / 1000), firstMb, first.p(0.5) / 1000)
            + failures(first));
    double mb = retrieval.bytes() / 3.0 / 1e6;
    row(
        table,
        "whole study ("
            + seriesSize
            + " instances), one client: MB/s (median of the next 3)"
            + variant,
        column,
        String.format(
                "%.0f MB/s (%.0f MB in %.2f s)",
                mb / (retrieval.p(0.5) / 1000), mb, retrieval.p(0.5) / 1000)
            + failures(retrieval));
    row(
        table,
        "whole study: CPU s per 1,000 instances retrieved (the four retrievals)" + variant,
        column,
        ProcessCpu.perThousand(studyBefore, studyAfter, 4L * seriesSize));
  }

  /** The processes a retrieval from {@code query} makes work. */
  private static ProcessCpu retrievalCpu(ServiceProcess query, Platform platform) {
    return new ProcessCpu()
        .add("query", query::serverProcess)
        .add("s3proxy", () -> platform.serverProcess(Component.S3))
        .add("PostgreSQL", () -> platform.serverProcess(Component.POSTGRES))
        .add("load client", () -> java.util.Optional.of(ProcessHandle.current()));
  }

  /** A query service configured one way, for the metadata comparison. */
  private record Variant(String name, String base) {}

  private final List<String> metadataRows = new ArrayList<>();

  /**
   * Series and study metadata of the retrieved study from each variant, taking turns request by
   * request so the machine's load falls on all alike: first the first request of each (a cold JVM,
   * nothing cached), then rounds of one request per variant.
   */
  private void metadataVariants(List<Variant> variants, StudyPopulation.Study study, int seriesSize)
      throws Exception {
    HttpProbe probe = new HttpProbe();
    String seriesPath = "/studies/" + study.studyUid() + "/series/" + study.seriesUid(1);
    String studyPath = "/studies/" + study.studyUid();
    int rounds = Math.max(20, iterations / 2);
    String before = loadAverage();
    for (String level : List.of("series", "study")) {
      String path = (level.equals("series") ? seriesPath : studyPath) + "/metadata";
      List<Double> first = new ArrayList<>();
      List<List<Double>> timed = new ArrayList<>();
      for (Variant v : variants) {
        first.add(probe.get(i -> v.base() + path, JSON, 0, 1).p(0.5));
        timed.add(new ArrayList<>());
      }
      for (int warm = 0; warm < 2; warm++) {
        for (Variant v : variants) {
          probe.get(i -> v.base() + path, JSON, 0, 1);
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < variants.size(); k++) {
          Variant v = variants.get(k);
          HttpProbe.Timings t = probe.get(i -> v.base() + path, JSON, 0, 1);
          if (t.failures() > 0) {
            throw new IllegalStateException(v.name() + ": metadata request failed");
          }
          timed.get(k).add(t.p(0.5));
        }
      }
      for (int k = 0; k < variants.size(); k++) {
        List<Double> ms = timed.get(k);
        ms.sort(null);
        metadataRows.add(
            String.format(
                "| %s metadata (%d instances) | %s | %.1f | %.1f / %.1f / %.1f |",
                level,
                seriesSize,
                variants.get(k).name(),
                first.get(k),
                pct(ms, 0.5),
                pct(ms, 0.95),
                pct(ms, 0.99)));
      }
    }
    metadataRows.add(
        "| machine load (1 / 5 / 15 min) | before: "
            + before
            + ", after: "
            + loadAverage()
            + " | | |");
  }

  private static double pct(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static String failures(HttpProbe.Timings t) {
    return t.failures() == 0 ? "" : " **" + t.failures() + " failed**";
  }

  private static void row(Map<String, String[]> table, String key, int column, String value) {
    table.computeIfAbsent(key, k -> new String[2])[column] = value;
  }

  private void print(
      Map<Search, HttpProbe.Timings[]> qido,
      Map<String, String[]> wado,
      int first,
      int total,
      int orthanc,
      int seriesSize) {
    System.out.println("| step | result |");
    System.out.println("|---|---|");
    loadRows.forEach(System.out::println);
    System.out.println();
    System.out.printf(
        "QIDO-RS, one client, %d timed queries of each kind after %d untimed; p50 / p95 / p99 ms"
            + " (median number of results). Strata holds the bulk-loaded instances plus the"
            + " %d of the retrieved study, Orthanc its STOW-loaded ones plus the same study.%n%n",
        iterations, warmup, seriesSize);
    System.out.printf(
        "| query | Strata, %s instances | Strata, %s instances | Orthanc 1.10, %s |"
            + " target (p95) |%n",
        human(first), human(total), orthanc > 0 ? human(orthanc) + " instances" : "not run");
    System.out.println("|---|---|---|---|---|");
    for (Map.Entry<Search, HttpProbe.Timings[]> e : qido.entrySet()) {
      HttpProbe.Timings[] t = e.getValue();
      System.out.printf(
          "| %s | %s | %s | %s | ≤ %d ms |%n",
          e.getKey().label, cell(t[0]), cell(t[1]), cell(t[2]), e.getKey().targetP95);
    }
    System.out.println();
    System.out.printf(
        "WADO-RS metadata, before and after ADR 0045, one client, the variants taking turns"
            + " request by request (%d timed rounds after 2 untimed; first = the first request to"
            + " a fresh service, JIT and caches cold):%n%n",
        Math.max(20, iterations / 2));
    System.out.println("| request | query service | first ms | p50 / p95 / p99 ms |");
    System.out.println("|---|---|---|---|");
    metadataRows.forEach(System.out::println);
    System.out.println();
    System.out.printf(
        "WADO-RS on the retrieved study, one client (Strata at %s instances):%n%n", human(total));
    System.out.println("| measure | Strata | Orthanc 1.10 | target |");
    System.out.println("|---|---|---|---|");
    for (Map.Entry<String, String[]> e : wado.entrySet()) {
      String key = e.getKey();
      String target =
          key.contains("first request")
              ? "(none; for reading the others)"
              : key.contains("CPU")
                  ? "(costs, for the scaling model)"
                  : key.contains("metadata") && !key.startsWith("first open")
                      ? "p95 ≤ 150 ms uncached, ≤ 50 ms cached"
                      : key.contains("frame") ? "p95 ≤ 20 ms" : "≥ Orthanc";
      System.out.printf(
          "| %s | %s | %s | %s |%n",
          key, e.getValue()[0], e.getValue()[1] == null ? "not run" : e.getValue()[1], target);
    }
  }

  private static String cell(HttpProbe.Timings t) {
    if (t == null) {
      return "not run";
    }
    return t.percentiles() + " (" + (int) t.medianResults() + ")" + failures(t);
  }

  private static String human(int n) {
    return n >= 1_000_000 && n % 1_000_000 == 0
        ? (n / 1_000_000) + " M"
        : n >= 1000 && n % 1000 == 0 ? (n / 1000) + " k" : Integer.toString(n);
  }

  private void load(String step, String result) {
    String row = "| " + step + " | " + result + " |";
    loadRows.add(row);
    System.out.println(row); // progress as it happens; the table is printed again at the end
  }

  /**
   * Plans of QIDO statements slower than 10 ms go to PostgreSQL's log (auto_explain, estimated
   * plans only, so timing is not disturbed): the evidence for a missed target.
   */
  private static String enableAutoExplain(Platform platform) {
    try (Connection c =
            DriverManager.getConnection(
                platform.jdbcUrl("strata"), platform.postgresUser(), platform.postgresPassword());
        Statement s = c.createStatement()) {
      s.execute("alter database strata set session_preload_libraries = 'auto_explain'");
      s.execute("alter database strata set auto_explain.log_min_duration = '10ms'");
      return "plans of statements over 10 ms in "
          + platform.config().dataDir().resolve("postgres/postgres.log");
    } catch (Exception e) {
      return "auto_explain not available: " + e.getMessage();
    }
  }

  private static void awaitIndexed(Platform platform, String studyUid, int count, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection c =
            DriverManager.getConnection(
                platform.jdbcUrl("strata"), platform.postgresUser(), platform.postgresPassword());
        PreparedStatement ps =
            c.prepareStatement("select number_of_instances from study where study_uid = ?")) {
      ps.setString(1, studyUid);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getInt(1) >= count) {
            return;
          }
        } catch (java.sql.SQLException e) {
          // the index service's migration may still be running
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("retrieved study not indexed within " + timeout);
  }

  /**
   * Waits for the sidecars of the series: the derivatives consumer's last write. Its instances are
   * native CTs, which get no frame index object (ADR 0073: the query service derives it).
   */
  private static void awaitDerivatives(MinioClient s3, String prefix, int count, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int sidecars = 0;
      for (Result<Item> item :
          s3.listObjects(
              ListObjectsArgs.builder()
                  .bucket("strata-objects")
                  .prefix(prefix)
                  .recursive(true)
                  .build())) {
        if (item.get().objectName().endsWith(".json")) {
          sidecars++;
        }
      }
      if (sidecars >= count) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("sidecars not written within " + timeout);
  }

  private static String query(Platform platform, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                platform.jdbcUrl("strata"), platform.postgresUser(), platform.postgresPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return "load average " + f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
    } catch (Exception e) {
      return "load average unknown";
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static int env(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim().replace("_", ""));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
