package org.strata.bench.routing;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.strata.bench.chaos.ChaosInstances;
import org.strata.bench.chaos.ChaosSupport;
import org.strata.bench.chaos.StowSender;

/**
 * One archive forwarding what it stores to a {@code storescp}: the instances are stored through
 * STOW-RS (one a request, {@code clients} requests at once, as fast as the archive answers), each
 * acknowledgement's time is taken as the client reads the 2xx answer naming the instance, and each
 * delivery's time is the last write of the instance's file at storescp ({@link Deliveries}). Both
 * are wall-clock times of this machine (CLOCK_REALTIME; file times have the file system's
 * granularity, a few ms on ext4).
 */
final class Forwarding {
  private final String stowUrl;
  private final Deliveries deliveries;
  private final int clients;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  Forwarding(String stowUrl, Deliveries deliveries, int clients) {
    this.stowUrl = stowUrl;
    this.deliveries = deliveries;
    this.clients = clients;
  }

  /** The figures of one run. */
  record Result(
      int sent,
      int acknowledged,
      int delivered,
      int extraCopies,
      double storeSeconds,
      double forwardSeconds,
      double[] delaysMs) {

    /** Delivered instances per second, from the first request to the last delivery. */
    double forwardedPerSecond() {
      return delivered / forwardSeconds;
    }

    double storedPerSecond() {
      return acknowledged / storeSeconds;
    }

    /** The {@code q} quantile (nearest rank) of the acknowledgement-to-delivery delays, in ms. */
    double delayMs(double q) {
      if (delaysMs.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * delaysMs.length);
      return delaysMs[Math.max(0, Math.min(delaysMs.length, rank) - 1)];
    }
  }

  /**
   * Stores {@code files}, then waits (at most {@code ceiling}) until storescp has every
   * acknowledged instance; what was not delivered by then counts as not delivered.
   */
  Result run(List<byte[]> files, Duration ceiling) throws Exception {
    Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    Instant started = Instant.now();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < files.size();
                      i = next.getAndIncrement()) {
                    byte[] file = files.get(i);
                    String sop = ChaosInstances.mediaStorageSopInstanceUid(file);
                    HttpResponse<String> r =
                        http.send(
                            StowSender.request(stowUrl, file),
                            HttpResponse.BodyHandlers.ofString());
                    Instant at = Instant.now();
                    if (StowSender.acknowledged(r, sop)) {
                      acknowledged.put(sop, at);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    Instant stored = acknowledged.values().stream().max(Instant::compareTo).orElseGet(Instant::now);
    Set<String> expected = Set.copyOf(acknowledged.keySet());
    int extraBefore = deliveries.extraCopies();
    try {
      ChaosSupport.await(
          () -> {
            try {
              deliveries.poll();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return deliveries.hasAll(expected);
          },
          "storescp holding every acknowledged instance",
          ceiling);
    } catch (IllegalStateException late) {
      System.out.println("not delivered within " + ceiling + ": " + late.getMessage());
    }
    Map<String, Instant> delivered = deliveries.delivered();
    List<Double> delays = new ArrayList<>();
    Instant last = started;
    for (Map.Entry<String, Instant> a : acknowledged.entrySet()) {
      Instant at = delivered.get(a.getKey());
      if (at != null) {
        delays.add(Duration.between(a.getValue(), at).toNanos() / 1e6);
        last = at.isAfter(last) ? at : last;
      }
    }
    double[] sorted = delays.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return new Result(
        files.size(),
        acknowledged.size(),
        sorted.length,
        deliveries.extraCopies() - extraBefore,
        Duration.between(started, stored).toNanos() / 1e9,
        Duration.between(started, last).toNanos() / 1e9,
        sorted);
  }
}
