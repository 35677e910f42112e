package org.strata.index.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Partitions of InstanceStored whose consumption stopped on an event of a newer schema version than
 * this service knows (ADR 0007), and whether the consumer runs at all: the service is not ready
 * while either is wrong. Also the gauge {@code strata_index_partitions_stopped}.
 */
@ApplicationScoped
public class StoppedPartitions {
  /** "topic-partition" to the offset of the event it stopped at. */
  private final Map<String, Long> stopped = new ConcurrentHashMap<>();

  private volatile boolean consuming;
  private volatile String consumerProblem = "not started";

  public StoppedPartitions(MeterRegistry metrics) {
    Gauge.builder("strata.index.partitions.stopped", stopped, Map::size)
        .description("InstanceStored partitions stopped on an event newer than this service")
        .register(metrics);
  }

  /** Records a stop; true the first time for this partition and offset (to log once). */
  boolean stop(String partition, long offset) {
    Long before = stopped.put(partition, offset);
    return before == null || before != offset;
  }

  void release(String partition) {
    stopped.remove(partition);
  }

  boolean isStopped(String partition) {
    return stopped.containsKey(partition);
  }

  void consuming(boolean running, String problem) {
    this.consuming = running;
    this.consumerProblem = problem;
  }

  /** The readiness of the consumer, for {@link ConsumerReadiness}. */
  HealthCheckResponse health() {
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("index-consumer")
            .status(consuming && stopped.isEmpty())
            .withData("consuming", consuming);
    if (consumerProblem != null) {
      b.withData("problem", consumerProblem);
    }
    new TreeMap<>(stopped)
        .forEach((partition, offset) -> b.withData("stopped " + partition, "at offset " + offset));
    return b.build();
  }
}
