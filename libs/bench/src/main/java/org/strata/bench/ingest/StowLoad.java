package org.strata.bench.ingest;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Parallel HTTP upload clients: STOW-RS multipart requests, or one raw file per POST. */
final class StowLoad {
  private static final String BOUNDARY = "strata-bench-boundary";

  /** Result of one load run. */
  record Result(int instances, long bytes, double seconds, int failedRequests) {
    double perSecond() {
      return instances / seconds;
    }

    double megabytesPerSecond() {
      return bytes / seconds / 1e6;
    }
  }

  private StowLoad() {}

  /** STOW-RS of {@code files}, {@code perRequest} instances a request, from {@code clients}. */
  static Result stow(String url, List<byte[]> files, int perRequest, int clients) throws Exception {
    return stow(List.of(url), files, perRequest, clients);
  }

  /**
   * As above, request {@code i} to {@code urls[i % n]}: replicas of ingest, as a balancer would.
   */
  static Result stow(List<String> urls, List<byte[]> files, int perRequest, int clients)
      throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < files.size(); i += perRequest) {
      bodies.add(multipart(files.subList(i, Math.min(files.size(), i + perRequest))));
    }
    return run(
        urls,
        bodies,
        "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY,
        perRequest,
        files,
        clients);
  }

  /** C-STORE of {@code files} with {@code procs} DCMTK storescu processes (TCP_NODELAY set). */
  static Result storescu(List<java.nio.file.Path> files, int procs, String aet, int port)
      throws Exception {
    long bytes = 0;
    for (java.nio.file.Path f : files) {
      bytes += java.nio.file.Files.size(f);
    }
    double seconds = org.strata.bench.Storescu.send(files, procs, aet, port, true);
    return new Result(files.size(), bytes, seconds, 0);
  }

  /** One file per POST with {@code application/dicom} (Orthanc's REST upload). */
  static Result raw(String url, List<byte[]> files, int clients) throws Exception {
    return run(List.of(url), files, "application/dicom", 1, files, clients);
  }

  private static Result run(
      List<String> urls,
      List<byte[]> bodies,
      String contentType,
      int perRequest,
      List<byte[]> files,
      int clients)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < bodies.size();
                    i = next.getAndIncrement()) {
                  HttpRequest request =
                      HttpRequest.newBuilder(URI.create(urls.get(i % urls.size())))
                          .timeout(Duration.ofMinutes(2))
                          .header("Content-Type", contentType)
                          .header("Accept", "application/dicom+json")
                          .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                          .build();
                  HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    long bytes = files.stream().mapToLong(b -> b.length).sum();
    return new Result(files.size(), bytes, seconds, failed.get());
  }

  static byte[] multipart(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(
          ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
