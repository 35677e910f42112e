package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Where a store's time goes, one timer per step of the acknowledged path ({@code
 * strata.ingest.step}: header, receive, s3-put, kafka-publish), for benchmarks and dashboards.
 */
@ApplicationScoped
public class IngestSteps {
  private final MeterRegistry metrics;

  public IngestSteps(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  void record(String step, long nanos) {
    metrics.timer("strata.ingest.step", "step", step).record(nanos, TimeUnit.NANOSECONDS);
  }
}
