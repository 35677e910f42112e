package org.strata.audit.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;

/**
 * The canonical form of an audit record, the bytes the hash chain covers (ADR 0034): the record's
 * {@link EventCodec} JSON (envelope {@code type} and {@code schemaVersion} included, absent fields
 * left out) with the keys of every object sorted by their UTF-16 code units ({@link
 * String#compareTo}), no whitespace, UTF-8. Arrays keep their order.
 *
 * <p>The chain stores these bytes as they were when the record was appended and verifiers hash the
 * stored bytes, so a later change of the codec never invalidates an existing chain; only new
 * records take the new form.
 */
public final class CanonicalForm {
  private static final ObjectMapper SORTED =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private CanonicalForm() {}

  /** The canonical bytes of a record. */
  public static byte[] of(AuditRecord record) {
    return ofJson(EventCodec.encode(record));
  }

  /** The canonical bytes of any event JSON object (sorted keys, compact, UTF-8). */
  static byte[] ofJson(byte[] json) {
    try {
      // A Map (not a tree) so ORDER_MAP_ENTRIES_BY_KEYS sorts every level, nested ones included.
      Map<?, ?> map = SORTED.readValue(json, Map.class);
      return SORTED.writeValueAsBytes(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the bytes are in canonical form (re-canonicalising them changes nothing). */
  public static boolean isCanonical(byte[] bytes) {
    try {
      JsonNode parsed = SORTED.readTree(bytes);
      return parsed != null && parsed.isObject() && java.util.Arrays.equals(bytes, ofJson(bytes));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }
}
