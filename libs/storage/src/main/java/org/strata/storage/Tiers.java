package org.strata.storage;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every storage tier of the deployment, read from configuration in one place:
 *
 * <pre>
 * strata.s3.*                          the first tier, where ingest writes (StorageConfig)
 * strata.s3.tier                       its name (default hot)
 * strata.s3.tiers                      the other tiers' names, comma-separated (default none)
 * strata.s3.tiers.NAME.bucket          required
 * strata.s3.tiers.NAME.endpoint        default: strata.s3.endpoint
 * strata.s3.tiers.NAME.access-key      default: strata.s3.access-key
 * strata.s3.tiers.NAME.secret-key      default: strata.s3.secret-key
 * strata.s3.tiers.NAME.retrieval       online (default) or nearline
 * strata.s3.tiers.NAME.retrieval-delay ISO-8601 duration, required for nearline (e.g. PT4H)
 * </pre>
 *
 * Every tier has its own bucket name (two tiers never share one, on any endpoint), so the bucket
 * the index records for an object names its tier too: a reader that has only the bucket (query)
 * finds the endpoint with {@link #ofBucket}.
 */
public final class Tiers {
  public static final String FIRST_TIER = "strata.s3.tier";
  public static final String OTHER_TIERS = "strata.s3.tiers";
  public static final String DEFAULT_FIRST_TIER = "hot";

  private final Tier first;
  private final Map<String, Tier> byName;
  private final Map<String, Tier> byBucket;
  private final List<Tier> ordered;

  public Tiers(List<Tier> tiers) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("object storage: no tier");
    }
    this.first = tiers.get(0);
    Map<String, Tier> names = new LinkedHashMap<>();
    Map<String, Tier> buckets = new HashMap<>();
    for (Tier t : tiers) {
      if (names.put(t.name(), t) != null) {
        throw new IllegalArgumentException("object storage: tier " + t.name() + " twice");
      }
      Tier other = buckets.put(t.bucket(), t);
      if (other != null) {
        throw new IllegalArgumentException(
            "object storage: tiers "
                + other.name()
                + " and "
                + t.name()
                + " share bucket "
                + t.bucket()
                + " (each tier needs its own)");
      }
    }
    this.byName = Map.copyOf(names);
    this.byBucket = Map.copyOf(buckets);
    this.ordered = List.copyOf(names.values());
  }

  /** The tiers under the keys above, from any configuration source. */
  public static Tiers from(Function<String, Optional<String>> config) {
    StorageConfig firstStorage = StorageConfig.from(config);
    List<Tier> tiers = new ArrayList<>();
    tiers.add(
        Tier.online(config.apply(FIRST_TIER).orElse(DEFAULT_FIRST_TIER).trim(), firstStorage));
    for (String name : config.apply(OTHER_TIERS).orElse("").split(",")) {
      if (!name.isBlank()) {
        tiers.add(tier(name.trim(), firstStorage, config));
      }
    }
    return new Tiers(tiers);
  }

  private static Tier tier(
      String name, StorageConfig first, Function<String, Optional<String>> config) {
    String prefix = OTHER_TIERS + "." + name + ".";
    Function<String, Optional<String>> own = k -> config.apply(prefix + k).map(String::trim);
    StorageConfig storage =
        new StorageConfig(
            own.apply("endpoint").orElse(first.endpoint()),
            own.apply("access-key").orElse(first.accessKey()),
            own.apply("secret-key").orElse(first.secretKey()),
            own.apply("bucket")
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "object storage: " + prefix + "bucket is not set")));
    Tier.Retrieval retrieval =
        own.apply("retrieval")
            .map(v -> Tier.Retrieval.parse(v, prefix + "retrieval"))
            .orElse(Tier.Retrieval.ONLINE);
    Duration delay = Duration.ZERO;
    if (retrieval == Tier.Retrieval.NEARLINE) {
      String text =
          own.apply("retrieval-delay")
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "object storage: nearline tier "
                              + name
                              + " needs "
                              + prefix
                              + "retrieval-delay"));
      try {
        delay = Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "object storage: " + prefix + "retrieval-delay is an ISO-8601 duration (PT4H)");
      }
    }
    return new Tier(name, storage, retrieval, delay);
  }

  /** The tier ingest writes to ({@code strata.s3.*}). */
  public Tier first() {
    return first;
  }

  /** Every tier, the first one first. */
  public List<Tier> all() {
    return ordered;
  }

  public Optional<Tier> named(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name));
  }

  /** The tier whose bucket this is, if one is configured. */
  public Optional<Tier> ofBucket(String bucket) {
    return Optional.ofNullable(bucket == null ? null : byBucket.get(bucket));
  }
}
