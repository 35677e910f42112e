package org.strata.events;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Objects;

/**
 * JSON wire format of {@link StrataEvent}s: a flat UTF-8 JSON object holding the envelope fields
 * {@code type} and {@code schemaVersion} next to the event's own fields. Null fields are omitted,
 * instants are ISO-8601 strings.
 *
 * <p>Decoding ignores unknown fields, so producers can add fields before consumers know them, and
 * upcasts older schema versions through {@link Upcaster}s. Everything else it cannot read raises
 * {@link EventFormatException}.
 */
public final class EventCodec {

  static final String TYPE = "type";
  static final String SCHEMA_VERSION = "schemaVersion";

  // Configured once: an ObjectMapper is thread-safe once built, and expensive to build per call.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .defaultPropertyInclusion(JsonInclude.Value.construct(NON_NULL, NON_NULL))
          // Forward compatibility: fields added by newer producers are ignored.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // A missing or null int/long must not silently become 0. Hence new optional fields
          // are reference types, and a new primitive needs a version bump and an upcaster.
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Two "type" fields would make the envelope ambiguous.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // Payloads carry PHI; keep them out of exception messages and so out of logs.
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private EventCodec() {}

  /** Encodes an event at its type's current schema version. */
  public static byte[] encode(StrataEvent event) {
    Objects.requireNonNull(event, "event");
    EventType<?> type = EventTypes.of(event.getClass());
    ObjectNode json = MAPPER.createObjectNode();
    json.put(TYPE, type.name());
    json.put(SCHEMA_VERSION, type.currentVersion());
    json.setAll((ObjectNode) MAPPER.valueToTree(event));
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (JacksonException e) {
      // Writing a tree of plain values to memory cannot fail short of a bug.
      throw new IllegalStateException("cannot encode " + type.name(), e);
    }
  }

  /** Decodes any event, dispatching on its {@code type}. */
  public static StrataEvent decode(byte[] payload) {
    return decode(payload, StrataEvent.class);
  }

  /**
   * Decodes an event that must be of {@code expected} type (or a subtype, so {@code
   * StrataEvent.class} accepts all).
   *
   * @throws EventFormatException with {@link EventFormatException.Reason#TYPE_MISMATCH} if the
   *     payload is a valid event of another type
   */
  public static <T extends StrataEvent> T decode(byte[] payload, Class<T> expected) {
    Objects.requireNonNull(expected, "expected");
    ObjectNode json = parse(payload);
    EventType<?> type = typeOf(json);
    if (!expected.isAssignableFrom(type.javaType())) {
      throw new EventFormatException(
          EventFormatException.Reason.TYPE_MISMATCH,
          "expected " + expected.getSimpleName() + " but payload is " + type.name());
    }
    int version = versionOf(json, type);
    json.remove(TYPE);
    json.remove(SCHEMA_VERSION);
    try {
      return expected.cast(MAPPER.treeToValue(type.upcast(json, version), type.javaType()));
    } catch (JacksonException | IllegalArgumentException e) {
      // Record validation failures arrive wrapped in a Jackson exception; report the root message.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new EventFormatException(
          EventFormatException.Reason.INVALID_EVENT,
          type.name() + " v" + version + ": " + root.getMessage(),
          e);
    }
  }

  private static ObjectNode parse(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new EventFormatException(EventFormatException.Reason.MALFORMED_JSON, "empty payload");
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new EventFormatException(
          EventFormatException.Reason.MALFORMED_JSON, "not valid JSON: " + e.getMessage(), e);
    }
    if (!(json instanceof ObjectNode object)) {
      throw new EventFormatException(
          EventFormatException.Reason.MALFORMED_JSON,
          "expected a JSON object, got " + (json == null ? "nothing" : json.getNodeType()));
    }
    return object;
  }

  private static EventType<?> typeOf(ObjectNode json) {
    JsonNode name = json.get(TYPE);
    if (name == null || !name.isTextual()) {
      throw new EventFormatException(
          EventFormatException.Reason.MISSING_TYPE, "no string \"" + TYPE + "\" field");
    }
    EventType<?> type = EventTypes.byName(name.textValue());
    if (type == null) {
      throw new EventFormatException(
          EventFormatException.Reason.UNKNOWN_TYPE, "unknown type '" + name.textValue() + "'");
    }
    return type;
  }

  private static int versionOf(ObjectNode json, EventType<?> type) {
    JsonNode version = json.get(SCHEMA_VERSION);
    if (version == null
        || !version.isIntegralNumber()
        || !version.canConvertToInt()
        || version.intValue() < 1) {
      throw new EventFormatException(
          EventFormatException.Reason.INVALID_SCHEMA_VERSION,
          type.name() + ": \"" + SCHEMA_VERSION + "\" must be an integer >= 1, got " + version);
    }
    if (version.intValue() > type.currentVersion()) {
      throw new EventFormatException(
          EventFormatException.Reason.FUTURE_SCHEMA_VERSION,
          type.name()
              + " v"
              + version.intValue()
              + " is newer than this code knows (v"
              + type.currentVersion()
              + "); upgrade the consumer");
    }
    return version.intValue();
  }
}
