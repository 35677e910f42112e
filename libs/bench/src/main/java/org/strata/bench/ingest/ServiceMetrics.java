package org.strata.bench.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sums of counters read from a service's Prometheus endpoint ({@code /q/metrics}). */
public final class ServiceMetrics {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ServiceMetrics() {}

  /** The sum over every series of {@code name} whose labels contain {@code labelFilter}. */
  static double sum(String serviceUrl, String name, String labelFilter) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      if (labelFilter != null && !line.contains(labelFilter)) {
        continue;
      }
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  /** Sum and count of a timer's series selected by {@code labelFilter}, in seconds. */
  public static double[] timer(String serviceUrl, String name, String labelFilter)
      throws Exception {
    return new double[] {
      sum(serviceUrl, name + "_seconds_sum", labelFilter),
      sum(serviceUrl, name + "_seconds_count", labelFilter)
    };
  }

  /** S3 requests sent by the service so far (every method). */
  static double s3Requests(String serviceUrl) throws Exception {
    return sum(serviceUrl, "strata_storage_requests_total", null);
  }

  /** Body bytes sent to and received from S3 by the service so far: {sent, received}. */
  static double[] s3Bytes(String serviceUrl) throws Exception {
    return new double[] {
      sum(serviceUrl, "strata_storage_body_bytes_total", "direction=\"sent\""),
      sum(serviceUrl, "strata_storage_body_bytes_total", "direction=\"received\"")
    };
  }

  /**
   * Requests ingest's InstanceStored producer sent to Kafka so far (each a round trip: produce
   * requests, and the few metadata ones).
   */
  static double kafkaProducerRequests(String serviceUrl) throws Exception {
    return sum(
        serviceUrl, "kafka_producer_request_total", "client_id=\"strata-ingest-instance-stored\"");
  }

  /** InstanceStored events the service's derivatives writer has finished (any outcome). */
  static double derivativesDone(String serviceUrl) throws Exception {
    return sum(serviceUrl, "strata_derivatives_events_total", null);
  }

  /**
   * Waits until the derivatives of {@code instances} more events are done; returns the seconds
   * waited, or -1 after {@code timeout}.
   */
  static double awaitDerivatives(String serviceUrl, double before, int instances, Duration timeout)
      throws Exception {
    long t0 = System.nanoTime();
    while (derivativesDone(serviceUrl) < before + instances) {
      if (System.nanoTime() - t0 > timeout.toNanos()) {
        return -1;
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
