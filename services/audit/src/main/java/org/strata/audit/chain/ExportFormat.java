package org.strata.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The export of the chain (GET /audit/export), one JSON object per line (NDJSON), in this order:
 *
 * <ol>
 *   <li>{@code {"kind":"export","format":"strata-audit-export/1","anchorSeq":..,"anchorHash":hex,
 *       "headSeq":..,"publicKeys":{keyId: PEM}}}
 *   <li>one {@code {"kind":"record","seq":..,"digest":hex,"hash":hex,"canonical":"..."}} per record
 *       in seq order; {@code canonical} (the canonical form as a JSON string, its UTF-8 bytes are
 *       what the digest covers) is left out for records of tenants the caller may not see
 *   <li>one {@code {"kind":"checkpoint","count":..,"headHash":hex,"signedAt":..,"keyId":..,
 *       "signature":base64}} per checkpoint in count order
 * </ol>
 */
public final class ExportFormat {
  public static final String FORMAT = "strata-audit-export/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportFormat() {}

  public static String header(
      long anchorSeq, byte[] anchorHash, long headSeq, Map<String, String> publicKeysPem) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "export");
    n.put("format", FORMAT);
    n.put("anchorSeq", anchorSeq);
    n.put("anchorHash", ChainHash.hex(anchorHash));
    n.put("headSeq", headSeq);
    ObjectNode keys = n.putObject("publicKeys");
    publicKeysPem.forEach(keys::put);
    return line(n);
  }

  public static String record(ChainEntry e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "record");
    n.put("seq", e.seq());
    n.put("digest", ChainHash.hex(e.digest()));
    n.put("hash", ChainHash.hex(e.hash()));
    if (e.canonical() != null) {
      n.put("canonical", new String(e.canonical(), StandardCharsets.UTF_8));
    }
    return line(n);
  }

  public static String checkpoint(Checkpoint c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "checkpoint");
    n.put("count", c.count());
    n.put("headHash", ChainHash.hex(c.headHash()));
    n.put("signedAt", c.signedAt().toString());
    n.put("keyId", c.keyId());
    n.put("signature", Base64.getEncoder().encodeToString(c.signature()));
    return line(n);
  }

  /** Parses one line; {@code kind} says which. */
  public static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON line", e);
    }
  }

  static ChainEntry entry(JsonNode n) {
    JsonNode canonical = n.get("canonical");
    return new ChainEntry(
        n.path("seq").asLong(),
        ChainHash.unhex(n.path("digest").asText()),
        ChainHash.unhex(n.path("hash").asText()),
        canonical == null ? null : canonical.asText().getBytes(StandardCharsets.UTF_8),
        null);
  }

  static Checkpoint checkpoint(JsonNode n) {
    return new Checkpoint(
        n.path("count").asLong(),
        ChainHash.unhex(n.path("headHash").asText()),
        Instant.parse(n.path("signedAt").asText()),
        n.path("keyId").asText(),
        Base64.getDecoder().decode(n.path("signature").asText()));
  }

  private static String line(ObjectNode n) {
    try {
      return JSON.writeValueAsString(n) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
