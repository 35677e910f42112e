package org.strata.tiering.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.strata.ids.TenantId;
import org.strata.storage.Tiers;

/**
 * Reads the lifecycle policies file (JSON, see {@code deploy/tiering/policies.json}):
 *
 * <pre>
 * {"version": 1, "policies": [{"name": "...", "enabled": false, "tenant": "local",
 *   "modality": "CT", "since": "study-date", "olderThan": "P1Y", "toTier": "cold"}]}
 * </pre>
 *
 * Every mistake names the policy and the field; the service does not start with a bad file.
 */
public final class PolicyFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BYTES = 1 << 20;

  private PolicyFile() {}

  public static List<LifecyclePolicy> read(Path file, Tiers tiers) {
    try {
      return parse(bytes(file), tiers);
    } catch (IOException e) {
      throw new IllegalArgumentException("policies file: cannot read " + file + ": " + e, e);
    }
  }

  /**
   * The file's retention rules ({@code "retention": [{"name": "...", "tenant": "...",
   * "yearsAfterStudy": 10, "untilAge": 25}]}), at most one per tenant.
   */
  public static List<RetentionRule> readRetention(Path file) {
    try {
      return parseRetention(bytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("policies file: cannot read " + file + ": " + e, e);
    }
  }

  private static byte[] bytes(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IllegalArgumentException("policies file: larger than 1 MiB");
    }
    return Files.readAllBytes(file);
  }

  static List<RetentionRule> parseRetention(byte[] json) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isObject() || root.path("version").asInt() != 1) {
      throw new IllegalArgumentException("policies file: an object with \"version\": 1");
    }
    List<RetentionRule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> tenants = new HashSet<>();
    for (JsonNode r : root.path("retention")) {
      String name = text(r, "name", null);
      if (name == null || name.isBlank() || !names.add(name)) {
        throw new IllegalArgumentException(
            "policies file: every retention rule needs a unique name");
      }
      String tenant = text(r, "tenant", name);
      if (tenant == null || !TenantId.isValid(tenant)) {
        throw new IllegalArgumentException("retention rule " + name + ": tenant is required");
      }
      tenant = TenantId.parse(tenant).value();
      if (!tenants.add(tenant)) {
        throw new IllegalArgumentException("retention rule " + name + ": one rule per tenant");
      }
      out.add(
          new RetentionRule(
              name,
              tenant,
              years(r, "yearsAfterStudy", name, true),
              r.hasNonNull("untilAge") ? years(r, "untilAge", name, false) : null));
    }
    return List.copyOf(out);
  }

  private static int years(JsonNode r, String field, String rule, boolean required) {
    JsonNode v = r.get(field);
    if ((v == null && required)
        || (v != null && (!v.canConvertToInt() || !v.isIntegralNumber()))
        || (v != null && (v.asInt() < 0 || v.asInt() > 200))) {
      throw new IllegalArgumentException(
          "retention rule " + rule + ": " + field + " is a number of years (0 to 200)");
    }
    return v.asInt();
  }

  static List<LifecyclePolicy> parse(byte[] json, Tiers tiers) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isObject() || root.path("version").asInt() != 1) {
      throw new IllegalArgumentException("policies file: an object with \"version\": 1");
    }
    List<LifecyclePolicy> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode p : root.path("policies")) {
      String name = text(p, "name", null);
      if (name == null || name.isBlank() || !names.add(name)) {
        throw new IllegalArgumentException("policies file: every policy needs a unique name");
      }
      String tenant = text(p, "tenant", name);
      if (tenant != null && !TenantId.isValid(tenant)) {
        throw new IllegalArgumentException("policy " + name + ": tenant is malformed");
      }
      String toTier = text(p, "toTier", name);
      if (tiers.named(toTier).isEmpty()) {
        throw new IllegalArgumentException("policy " + name + ": toTier is not a configured tier");
      }
      Period olderThan;
      try {
        olderThan = Period.parse(String.valueOf(text(p, "olderThan", name)));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "policy " + name + ": olderThan is an ISO-8601 period (P30D, P1Y)");
      }
      if (olderThan.isNegative()) {
        throw new IllegalArgumentException("policy " + name + ": olderThan is negative");
      }
      String since = text(p, "since", name);
      LifecyclePolicy.Since from;
      try {
        from =
            LifecyclePolicy.Since.valueOf(
                (since == null ? "study-date" : since).toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("policy " + name + ": since is study-date or ingest");
      }
      String modality = text(p, "modality", name);
      out.add(
          new LifecyclePolicy(
              name,
              p.path("enabled").asBoolean(false),
              tenant == null ? null : TenantId.parse(tenant).value(),
              modality == null ? null : modality.toUpperCase(Locale.ROOT),
              from,
              olderThan,
              toTier));
    }
    return List.copyOf(out);
  }

  private static String text(JsonNode p, String field, String policy) {
    JsonNode v = p.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(
          (policy == null ? "a policy" : "policy " + policy) + ": " + field + " is a string");
    }
    return v.asText();
  }
}
