package org.strata.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One client timing GET requests one after the other (the latency a single user sees, without
 * queueing behind other clients): whole body read, status checked, percentiles over the run.
 */
final class HttpProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final IntFunction<String> authorization;

  HttpProbe() {
    this((String) null);
  }

  /** Every request with this {@code Authorization} header (null: none). */
  HttpProbe(String authorization) {
    this(i -> authorization);
  }

  /** Request {@code i} (warm-up ones after the timed ones) with this {@code Authorization}. */
  HttpProbe(IntFunction<String> authorization) {
    this.authorization = authorization;
  }

  /** Latencies (ms) and what the answers held. */
  record Timings(double[] millis, double medianResults, long bytes, int failures) {
    double p(double q) {
      if (millis.length == 0) {
        return Double.NaN;
      }
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    String percentiles() {
      return String.format("%.1f / %.1f / %.1f", p(0.5), p(0.95), p(0.99));
    }
  }

  /**
   * {@code warmup} untimed then {@code count} timed GETs of {@code url.apply(i)}; a JSON array
   * answer's length is counted as its results (204 counts as 0).
   */
  Timings get(IntFunction<String> url, String accept, int warmup, int count) throws Exception {
    for (int i = 0; i < warmup; i++) {
      fetch(url.apply(count + i), authorization.apply(count + i), accept, false);
    }
    double[] millis = new double[count];
    double[] results = new double[count];
    long bytes = 0;
    int failures = 0;
    for (int i = 0; i < count; i++) {
      Fetched f = fetch(url.apply(i), authorization.apply(i), accept, accept.contains("json"));
      millis[i] = f.nanos / 1e6;
      results[i] = f.results;
      bytes += f.bytes;
      if (f.status != 200 && f.status != 204) {
        failures++;
      }
    }
    Arrays.sort(results);
    return new Timings(millis, results[count / 2], bytes, failures);
  }

  private record Fetched(int status, long bytes, int results, long nanos) {}

  private Fetched fetch(String url, String authorization, String accept, boolean countJson)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(5))
            .header("Accept", accept)
            .GET();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    long t0 = System.nanoTime();
    if (countJson) {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long nanos = System.nanoTime() - t0;
      int results = 0;
      if (r.statusCode() == 200) {
        JsonNode body = JSON.readTree(r.body());
        results = body.isArray() ? body.size() : 0;
      }
      return new Fetched(r.statusCode(), r.body().length, results, nanos);
    }
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    long n = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = r.body()) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        n += read;
      }
    }
    return new Fetched(r.statusCode(), n, 0, System.nanoTime() - t0);
  }
}
