package org.strata.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic as declared by Strata. The name is a stable contract between services; everything
 * else may be tuned, but see {@link Topics} before changing partitions.
 *
 * @param name the topic name, e.g. {@code strata.instance.stored}
 * @param partitions number of partitions; can only ever grow, and growing remaps keys to partitions
 * @param retention how long records are kept, or {@code null} to keep them forever
 * @param cleanupPolicy what Kafka does with old segments
 * @param keyDescription what the record key is, e.g. "StudyInstanceUID"
 * @param description what the topic carries, for humans
 */
public record Topic(
    String name,
    int partitions,
    Duration retention,
    CleanupPolicy cleanupPolicy,
    String keyDescription,
    String description) {

  /** Kafka's {@code cleanup.policy}. */
  public enum CleanupPolicy {
    DELETE,
    COMPACT;

    /** The value Kafka expects in {@code cleanup.policy}. */
    public String configValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Topic {
    Require.nonBlank(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be > 0 for topic " + name);
    }
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException("retention must be positive or null for topic " + name);
    }
    Require.nonNull(cleanupPolicy, "cleanupPolicy");
    Require.nonBlank(keyDescription, "keyDescription");
    description = Objects.requireNonNullElse(description, "");
  }

  /**
   * Topic-level configs for creating or reconciling the topic. Cluster-dependent settings such as
   * {@code min.insync.replicas} and the replication factor are deliberately not here: they belong
   * to the deployment, not to the contract.
   */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
    configs.put("cleanup.policy", cleanupPolicy.configValue());
    return Map.copyOf(configs);
  }
}
