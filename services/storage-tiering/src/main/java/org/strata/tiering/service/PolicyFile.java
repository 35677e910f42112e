package org.strata.tiering.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.strata.ids.TenantId;
import org.strata.ids.Uid;
import org.strata.storage.Tiers;

/**
 * Reads the lifecycle policies file (JSON, see {@code deploy/tiering/policies.json}):
 *
 * <pre>
 * {"version": 1, "revision": 3, "policies": [{"name": "...", "version": 2, "enabled": false,
 *   "tenant": "local", "modality": "CT", "sopClass": "1.2.840...", "minBytes": 1048576,
 *   "since": "study-date", "olderThan": "P1Y", "toTier": "cold"}],
 *  "history": [{...an earlier version..., "replacedAt": "...", "replacedBy": "..."}]}
 * </pre>
 *
 * Every mistake names the policy and the field; the service does not start with a bad file. The
 * admin API rewrites the file (ADR 0054): {@code revision} counts its writes, each policy's {@code
 * version} its changes, and {@code history} keeps the versions replaced.
 */
public final class PolicyFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BYTES = 1 << 20;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern MODALITY = Pattern.compile("[A-Za-z0-9_ ]{1,16}");

  private PolicyFile() {}

  /**
   * The file's retention rules ({@code "retention": [{"name": "...", "tenant": "...",
   * "yearsAfterStudy": 10, "untilAge": 25}]}), at most one per tenant.
   */
  public static List<RetentionRule> readRetention(Path file) {
    try {
      return parseRetention(bytes(file));
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  /**
   * The reason a file could not be read or parsed: for JSON, the position only (the parser's
   * message quotes the file's content).
   */
  private static IllegalArgumentException unreadable(Path file, IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
      var at = json.getLocation();
      return new IllegalArgumentException(
          "policies file: not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
          null);
    }
    return new IllegalArgumentException(
        "policies file: cannot read " + file + ": " + e.getClass().getSimpleName(), e);
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
    return parseDocument(json, tiers).policies();
  }

  /** The policies file as a whole: read (or empty when none is configured) and rewritten. */
  public record Document(long revision, List<LifecyclePolicy> policies, List<Superseded> history) {
    public static Document empty() {
      return new Document(0, List.of(), List.of());
    }
  }

  /** A version replaced by a change: when and by whom. */
  public record Superseded(LifecyclePolicy policy, Instant replacedAt, String replacedBy) {}

  public static Document readDocument(Path file, Tiers tiers) {
    try {
      return parseDocument(bytes(file), tiers);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  static Document parseDocument(byte[] json, Tiers tiers) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isObject() || root.path("version").asInt() != 1) {
      throw new IllegalArgumentException("policies file: an object with \"version\": 1");
    }
    List<LifecyclePolicy> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode p : root.path("policies")) {
      LifecyclePolicy policy = policy(p, tiers);
      if (!names.add(policy.tenant() + "/" + policy.name())) {
        throw new IllegalArgumentException(
            "policies file: every policy needs a unique name within its tenant");
      }
      out.add(policy);
    }
    List<Superseded> history = new ArrayList<>();
    for (JsonNode h : root.path("history")) {
      // Old versions are kept as written: a tier removed since does not stop the start.
      ObjectNode copy = ((ObjectNode) h.deepCopy());
      Instant at = instant(copy.remove("replacedAt"));
      JsonNode by = copy.remove("replacedBy");
      history.add(
          new Superseded(policy(copy, null), at, by == null || by.isNull() ? null : by.asText()));
    }
    return new Document(root.path("revision").asLong(0), List.copyOf(out), List.copyOf(history));
  }

  private static Instant instant(JsonNode v) {
    try {
      return v == null || v.isNull() ? null : Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("policies file: history replacedAt is an ISO instant");
    }
  }

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "version",
          "enabled",
          "tenant",
          "modality",
          "sopClass",
          "minBytes",
          "since",
          "olderThan",
          "toTier");

  /**
   * One policy, from the file or an admin API body. {@code tiers} null: the target tier is not
   * checked (old versions in the history).
   */
  public static LifecyclePolicy policy(JsonNode p, Tiers tiers) {
    if (p == null || !p.isObject()) {
      throw new IllegalArgumentException("a policy is a JSON object");
    }
    String name = text(p, "name", null);
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a policy's name is 1 to 64 letters, digits, '.', '_' or '-'");
    }
    p.fieldNames()
        .forEachRemaining(
            f -> {
              if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("policy " + name + ": unknown field " + f);
              }
            });
    String tenant = text(p, "tenant", name);
    if (tenant != null && !TenantId.isValid(tenant)) {
      throw new IllegalArgumentException("policy " + name + ": tenant is malformed");
    }
    String toTier = text(p, "toTier", name);
    if (toTier == null || (tiers != null && tiers.named(toTier).isEmpty())) {
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
      throw new IllegalArgumentException(
          "policy " + name + ": since is study-date, ingest or access");
    }
    String modality = text(p, "modality", name);
    if (modality != null && !MODALITY.matcher(modality).matches()) {
      throw new IllegalArgumentException("policy " + name + ": modality is a DICOM CS (1-16)");
    }
    String sopClass = text(p, "sopClass", name);
    if (sopClass != null && !Uid.isValid(sopClass)) {
      throw new IllegalArgumentException("policy " + name + ": sopClass is not a UID");
    }
    JsonNode enabled = p.get("enabled");
    if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
      throw new IllegalArgumentException("policy " + name + ": enabled is true or false");
    }
    return new LifecyclePolicy(
        name,
        number(p, "version", name, 1, Integer.MAX_VALUE, 1L).intValue(),
        enabled != null && enabled.asBoolean(false),
        tenant == null ? null : TenantId.parse(tenant).value(),
        modality == null ? null : modality.toUpperCase(Locale.ROOT),
        sopClass,
        p.hasNonNull("minBytes") ? number(p, "minBytes", name, 0, Long.MAX_VALUE, null) : null,
        from,
        olderThan,
        toTier);
  }

  private static Long number(
      JsonNode p, String field, String policy, long min, long max, Long absent) {
    JsonNode v = p.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw new IllegalArgumentException(
          "policy " + policy + ": " + field + " is a whole number from " + min);
    }
    return v.asLong();
  }

  /** A policy as the file and the admin API write it. */
  public static Map<String, Object> describe(LifecyclePolicy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("version", p.version());
    m.put("enabled", p.enabled());
    m.put("tenant", p.tenant());
    m.put("modality", p.modality());
    m.put("sopClass", p.sopClass());
    m.put("minBytes", p.minBytes());
    m.put("since", p.since().external());
    m.put("olderThan", p.olderThan().toString());
    m.put("toTier", p.toTier());
    return m;
  }

  /**
   * Rewrites the file with this document, keeping what else it holds (the retention rules): a
   * temporary file renamed over it, so a reader never sees half a file.
   */
  public static void write(Path file, Document doc) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(bytes(file));
    root.put("revision", doc.revision());
    root.set(
        "policies", JSON.valueToTree(doc.policies().stream().map(PolicyFile::describe).toList()));
    List<Map<String, Object>> history = new ArrayList<>();
    for (Superseded s : doc.history()) {
      Map<String, Object> m = describe(s.policy());
      m.put("replacedAt", s.replacedAt() == null ? null : s.replacedAt().toString());
      m.put("replacedBy", s.replacedBy());
      history.add(m);
    }
    root.set("history", JSON.valueToTree(history));
    byte[] out = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    if (out.length > MAX_BYTES) {
      throw new IllegalStateException("the policies file would be larger than 1 MiB");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".policies", ".tmp");
    try {
      Files.write(tmp, out);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
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
