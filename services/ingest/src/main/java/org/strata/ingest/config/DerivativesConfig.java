package org.strata.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the derivatives writer ({@code strata.derivatives.*}; ADR 0005, 0015). */
@ConfigMapping(prefix = "strata.derivatives")
public interface DerivativesConfig {

  /** Binary values longer than this stay in the object and become BulkDataURIs in the sidecar. */
  @WithDefault("1024")
  long bulkDataThreshold();

  /** Instances whose derivatives are written at the same time (events of one instance in order). */
  @WithDefault("8")
  int concurrency();

  /** Attempts per event while object storage fails, before the event is skipped and counted. */
  @WithDefault("8")
  int maxAttempts();

  /** First wait between attempts; doubles each time up to {@link #maxRetryBackoff()}. */
  @WithDefault("1s")
  Duration retryBackoff();

  @WithDefault("30s")
  Duration maxRetryBackoff();

  /**
   * Memory for the headers of just-stored objects, so their derivatives are written without reading
   * the objects back (ADR 0015); 0 turns that off.
   */
  @WithDefault("67108864")
  long preparedHeadersBytes();
}
