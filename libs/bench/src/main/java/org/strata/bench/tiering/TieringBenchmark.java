package org.strata.bench.tiering;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.strata.bench.Part10Writer;
import org.strata.bench.index.BulkFill;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench tiering}: storage-tiering's moves between the platform's two S3 servers against
 * a raw copy of the same objects in the same run, and the cost of a policy dry-run (the policies'
 * candidate queries on the index) with the index bulk-filled as the index benchmark fills it.
 *
 * <p>Settings (system properties): {@code strata.bench.tiering.instances} (instances stored and
 * moved, 200), {@code strata.bench.tiering.pixels} (rows = columns of each 16-bit image, 512: about
 * 512 KiB an instance), {@code strata.bench.tiering.policy-instances} (the index filled to this
 * many instances for the dry-run, 1 000 000; 0: not measured).
 */
public final class TieringBenchmark {
  private static final String TENANT = "local";
  private static final int PER_STUDY = 20;
  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TieringBenchmark() {}

  public static void run(
      Path work, Path dist, Path realm, Path indexJar, Path ingestJar, Path tieringJar)
      throws Exception {
    int instances = Integer.getInteger("strata.bench.tiering.instances", 200);
    int pixels = Integer.getInteger("strata.bench.tiering.pixels", 512);
    long policyInstances = Long.getLong("strata.bench.tiering.policy-instances", 1_000_000L);
    Path dataDir = Files.createDirectories(work.resolve("tiering"));
    Path policies = dataDir.resolve("policies.json");
    // Three disabled policies of the shapes operators write: by modality and study date, by ingest
    // age for every tenant (P0D: every study, the widest), by SOP class and size.
    Files.writeString(
        policies,
        """
        {"version": 1, "policies": [
          {"name": "ct-over-2-years", "tenant": "bulk", "modality": "CT", "since": "study-date",
           "olderThan": "P2Y", "toTier": "cold"},
          {"name": "everything-ingested", "since": "ingest", "olderThan": "P0D",
           "toTier": "cold"},
          {"name": "large-ct", "tenant": "bulk", "sopClass": "1.2.840.10008.5.1.4.1.1.2",
           "minBytes": 262144, "since": "study-date", "olderThan": "P1Y", "toTier": "cold"}
        ]}
        """);
    PlatformConfig config =
        PlatformConfig.forTests(
            dataDir,
            dist,
            realm,
            EnumSet.of(Component.KAFKA, Component.POSTGRES, Component.S3, Component.S3_COLD));
    try (Platform platform = Platform.start(config)) {
      Map<String, String> env = new HashMap<>(platform.addresses());
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.tiering.source-delete-grace", "PT0S");
      env.put("strata.tiering.worker.interval", "PT0.2S");
      env.put("strata.tiering.worker.index-poll", "PT0.2S");
      env.put("strata.tiering.policies.file", policies.toString());
      env.put("strata.tiering.policies.scheduled", "false");
      env.put("strata.tiering.retention.scheduled", "false");
      ServiceProcess index = new ServiceProcess("index", freePort(), indexJar);
      ServiceProcess ingest = new ServiceProcess("ingest", freePort(), ingestJar);
      ServiceProcess tiering = new ServiceProcess("storage-tiering", freePort(), tieringJar);
      List<ServiceProcess> services = List.of(index, ingest, tiering);
      try {
        for (ServiceProcess s : services) {
          s.start(dataDir, env);
        }
        List<String> studies = store(ingest.url(), instances, pixels);
        String jdbc = platform.jdbcUrl("strata");
        try (Connection c =
            DriverManager.getConnection(
                jdbc, platform.postgresUser(), platform.postgresPassword())) {
          awaitCount(
              c,
              "select count(*) from object_location l join instance i on i.pk = l.instance_pk"
                  + " where i.tenant = '"
                  + TENANT
                  + "' and l.bucket = '"
                  + PlatformConfig.DEFAULT_BUCKETS.getFirst()
                  + "'",
              instances);
          List<String[]> objects = objects(c);
          long bytes = objects.stream().mapToLong(o -> Long.parseLong(o[3])).sum();

          // 1. A raw copy of the same objects (object, sidecar, frame index), one after the other
          // as the move worker does, to a prefix of the cold bucket, removed afterwards.
          MinioClient hot = platform.s3Client();
          MinioClient cold = TieringClient.cold(env);
          String hotBucket = PlatformConfig.DEFAULT_BUCKETS.getFirst();
          String coldBucket = env.get("strata.s3.tiers.cold.bucket");
          long r0 = System.nanoTime();
          List<String> copied = new ArrayList<>();
          for (String[] o : objects) {
            for (int k = 0; k < 3; k++) {
              if (o[k] != null) {
                rawCopy(hot, hotBucket, cold, coldBucket, o[k], "rawcopy/" + o[k]);
                copied.add("rawcopy/" + o[k]);
              }
            }
          }
          double rawSeconds = (System.nanoTime() - r0) / 1e9;
          for (String key : copied) {
            cold.removeObject(RemoveObjectArgs.builder().bucket(coldBucket).object(key).build());
          }

          // 2. The same objects moved by storage-tiering: copy, verify, switch through the index,
          // source removed; from the first request to the last job finished.
          long m0 = System.nanoTime();
          List<String> requests = new ArrayList<>();
          for (String study : studies) {
            requests.add(TieringClient.moveToCold(tiering.url(), TENANT, study));
          }
          long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
          for (String request : requests) {
            while (!TieringClient.finished(tiering.url(), request)) {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the moves did not finish within 30 minutes");
              }
              Thread.sleep(100);
            }
          }
          double moveSeconds = (System.nanoTime() - m0) / 1e9;
          long onCold =
              count(c, "select count(*) from object_location where bucket = '" + coldBucket + "'");

          double mb = bytes / 1e6;
          System.out.println("| measure | result |");
          System.out.println("|---|---|");
          System.out.printf(
              "| raw copy hot -> cold (MinIO SDK get + put, sequential; each instance's object and"
                  + " sidecar), %d instances, %.1f MB | %.1f MB/s, %.1f instances/s |%n",
              objects.size(), mb, mb / rawSeconds, objects.size() / rawSeconds);
          System.out.printf(
              "| storage-tiering move hot -> cold (copy, verify, index switch, source removed),"
                  + " same objects | %.1f MB/s, %.1f instances/s (%d of %d on cold) |%n",
              mb / moveSeconds, objects.size() / moveSeconds, onCold, objects.size());

          // 3. The policies' dry-run with the index bulk-filled (tenant bulk, CT/MR/CR/US/MG).
          if (policyInstances > 0) {
            long f0 = System.nanoTime();
            BulkFill.fill(c, policyInstances, TENANT);
            double fillSeconds = (System.nanoTime() - f0) / 1e9;
            long total = count(c, "select count(*) from instance");
            double[] runs = new double[3];
            for (int i = 0; i < runs.length; i++) {
              long d0 = System.nanoTime();
              HttpResponse<String> r = get(tiering.url() + "/admin/policies/dry-run");
              runs[i] = (System.nanoTime() - d0) / 1e6;
              if (r.statusCode() != 200) {
                throw new IllegalStateException("dry-run answered " + r.statusCode());
              }
            }
            Arrays.sort(runs);
            System.out.printf(
                "| policies dry-run (3 policies, each its first 1000 studies) at %d instances"
                    + " (bulk-filled in %.0f s) | median %.0f ms (of 3: %.0f, %.0f, %.0f) |%n",
                total, fillSeconds, runs[1], runs[0], runs[1], runs[2]);
          }
        }
      } finally {
        for (ServiceProcess s : services.reversed()) {
          s.stop();
        }
      }
    }
  }

  /** Stores {@code instances} instances, {@link #PER_STUDY} to a study; returns the studies. */
  private static List<String> store(String ingest, int instances, int pixels) throws Exception {
    Random random = new Random(7);
    String root = "2.25." + Long.toUnsignedString(System.currentTimeMillis()) + ".9";
    List<String> studies = new ArrayList<>();
    for (int n = 0; n < instances; n++) {
      String study = root + "." + (n / PER_STUDY + 1);
      if (n % PER_STUDY == 0) {
        studies.add(study);
      }
      String series = study + ".1";
      String sop = series + "." + (n % PER_STUDY + 1);
      byte[] image = new byte[pixels * pixels * 2];
      random.nextBytes(image);
      ByteArrayOutputStream ds = new ByteArrayOutputStream(image.length + 1024);
      Part10Writer.str(ds, 0x00080016, "UI", CT);
      Part10Writer.str(ds, 0x00080018, "UI", sop);
      Part10Writer.str(ds, 0x00080020, "DA", "20200101");
      Part10Writer.str(ds, 0x00080060, "CS", "CT");
      Part10Writer.str(ds, 0x00100010, "PN", "Tiering^Bench");
      Part10Writer.str(ds, 0x00100020, "LO", "TIER-BENCH");
      Part10Writer.str(ds, 0x0020000D, "UI", study);
      Part10Writer.str(ds, 0x0020000E, "UI", series);
      Part10Writer.str(ds, 0x00200013, "IS", Integer.toString(n % PER_STUDY + 1));
      Part10Writer.monochrome16(ds, pixels, pixels, image);
      byte[] file = Part10Writer.file(CT, sop, ds);
      String boundary = "strata-tiering-bench";
      ByteArrayOutputStream body = new ByteArrayOutputStream(file.length + 256);
      body.writeBytes(
          ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(file);
      body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(ingest + "/dicomweb/studies"))
                  .timeout(Duration.ofSeconds(120))
                  .header(
                      "Content-Type",
                      "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                  .header("Accept", "application/dicom+json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("STOW-RS answered " + r.statusCode());
      }
    }
    return studies;
  }

  /** Object key, sidecar key, frame index key (or null) and size of every stored instance. */
  private static List<String[]> objects(Connection c) throws Exception {
    List<String[]> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select l.object_key, l.sidecar_key, l.frame_index_key, l.size from"
                    + " object_location l join instance i on i.pk = l.instance_pk where i.tenant"
                    + " = '"
                    + TENANT
                    + "'")) {
      while (rs.next()) {
        out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
      }
    }
    return out;
  }

  private static void rawCopy(
      MinioClient from, String fromBucket, MinioClient to, String toBucket, String key, String as)
      throws Exception {
    byte[] bytes;
    try (GetObjectResponse in =
        from.getObject(GetObjectArgs.builder().bucket(fromBucket).object(key).build())) {
      bytes = in.readAllBytes();
    }
    to.putObject(
        PutObjectArgs.builder().bucket(toBucket).object(as).stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .build());
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitCount(Connection c, String sql, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (count(c, sql) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not indexed within 10 minutes: " + sql);
      }
      Thread.sleep(200);
    }
  }

  private static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
