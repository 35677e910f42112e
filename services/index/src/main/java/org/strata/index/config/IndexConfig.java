package org.strata.index.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** The index service's own settings ({@code strata.index.*}). */
@ConfigMapping(prefix = "strata.index")
public interface IndexConfig {

  /**
   * Issuer of Patient ID given to a tenant's patients that arrive without one, when {@link
   * #tenantIssuer()} names none: this prefix and the tenant id. Two hospitals' identical Patient
   * IDs thereby stay two patients.
   */
  @WithDefault("STRATA-")
  String defaultIssuerPrefix();

  /**
   * Per-tenant default Issuer of Patient ID, e.g. {@code strata.index.tenant-issuer.hosp-a=HA} (a
   * tenant with a dot quoted: {@code tenant-issuer."hosp.a"}); read through {@link TenantIssuers}.
   */
  Map<String, String> tenantIssuer();

  /** The consumer of InstanceStored. */
  Consumer consumer();

  /** The consumer of InstanceStored ({@code strata.index.consumer.*}). */
  interface Consumer {
    /** Whether the service consumes at all (off for a rebuild-only or admin-only instance). */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("strata.instance.stored")
    String topic();

    @WithDefault("strata-index")
    String groupId();

    /**
     * Most events applied in one transaction (Kafka's max.poll.records): bounds the transaction's
     * size and the follow-up events in flight. Under a light load batches are smaller on their own.
     */
    @WithDefault("500")
    int maxBatch();

    /**
     * Test hook: once, after the first batch with an event of this tenant is committed in
     * PostgreSQL and its follow-up events are sent, the consumer dies before committing offsets, as
     * a killed process would; a fresh consumer then takes over from the committed offsets.
     */
    Optional<String> crashAfterCommitTenant();
  }

  /** Rebuilding the index from the metadata sidecars in S3. */
  Rebuild rebuild();

  /** {@code strata.index.rebuild.*}. */
  interface Rebuild {
    /** Sidecars applied per transaction. */
    @WithDefault("200")
    int batchSize();

    /**
     * A RUNNING job without a checkpoint for this long is taken to have lost its instance and is
     * resumed (instances look for such jobs at start and then this often).
     */
    @WithDefault("2m")
    java.time.Duration staleAfter();
  }
}
