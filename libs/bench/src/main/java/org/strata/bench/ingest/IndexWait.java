package org.strata.bench.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the ingest service's read-your-writes wait (time from durable to indexed) from metrics. */
final class IndexWait {
  private static final Pattern LINE =
      Pattern.compile("strata_ingest_index_wait_seconds(?:_max)?\\{([^}]*)}\\s+([0-9.eE+-]+)");

  private IndexWait() {}

  static String scrape(String serviceUrl) {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String p50 = "?", p99 = "?", max = "?", timeouts = "0";
      for (String line : body.split("\n")) {
        Matcher m = LINE.matcher(line);
        if (!m.lookingAt()) {
          continue;
        }
        String labels = m.group(1);
        double ms = Double.parseDouble(m.group(2)) * 1000;
        if (labels.contains("outcome=\"indexed\"")) {
          if (labels.contains("quantile=\"0.5\"")) {
            p50 = "%.0f".formatted(ms);
          } else if (labels.contains("quantile=\"0.99\"")) {
            p99 = "%.0f".formatted(ms);
          } else if (line.startsWith("strata_ingest_index_wait_seconds_max")) {
            max = "%.0f".formatted(ms);
          }
        }
      }
      Matcher t =
          Pattern.compile(
                  "strata_ingest_index_wait_seconds_count\\{[^}]*outcome=\"timeout\"[^}]*}\\s+([0-9.]+)")
              .matcher(body);
      if (t.find()) {
        timeouts = t.group(1);
      }
      return "%s / %s / %s ms (requests past the timeout: %s)".formatted(p50, p99, max, timeouts);
    } catch (Exception e) {
      return "metrics unavailable: " + e.getMessage();
    }
  }
}
