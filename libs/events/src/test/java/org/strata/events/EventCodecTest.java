package org.strata.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

  // A plain mapper to inspect and build payloads independently of the codec's own configuration.
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<StrataEvent> samples() {
    return Samples.all();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void roundTripsEveryEventType(StrataEvent event) {
    byte[] encoded = EventCodec.encode(event);

    assertEquals(event, EventCodec.decode(encoded));
    assertEquals(event, EventCodec.decode(encoded, event.getClass()));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void writesFlatEnvelopeWithCurrentVersion(StrataEvent event) throws Exception {
    JsonNode json = JSON.readTree(EventCodec.encode(event));

    assertEquals(EventTypes.of(event.getClass()).name(), json.get("type").textValue());
    assertEquals(schemaVersionOf(event.getClass()), json.get("schemaVersion").intValue());
    assertEquals(event.eventId(), json.get("eventId").textValue(), "fields sit beside envelope");
    assertEquals("2025-01-02T03:04:05.678901Z", json.get("occurredAt").textValue());
    assertFalse(json.has("key"), "key() is derived, not a field");
  }

  @Test
  void omitsNullFields() throws Exception {
    InstanceDeleted study =
        new InstanceDeleted(
            "44444444-4444-4444-8444-444444444444",
            Samples.AT,
            "t",
            InstanceDeleted.Scope.STUDY,
            Samples.STUDY,
            null,
            null,
            List.of(),
            null,
            "admin");

    JsonNode json = JSON.readTree(EventCodec.encode(study));

    assertFalse(json.has("seriesInstanceUid"));
    assertFalse(json.has("sopInstanceUid"));
    assertFalse(json.has("reason"));
    assertEquals(study, EventCodec.decode(EventCodec.encode(study)));
  }

  @Test
  void accessLabelsTravelAndAreLeftOutWhenNone() throws Exception {
    InstanceStored labelled = Samples.instanceStored().withAccessLabels(List.of("cardiology"));
    JsonNode json = JSON.readTree(EventCodec.encode(labelled));
    assertEquals("cardiology", json.path("accessLabels").path(0).asText());
    assertEquals(labelled, EventCodec.decode(EventCodec.encode(labelled)));
    assertFalse(JSON.readTree(EventCodec.encode(Samples.instanceStored())).has("accessLabels"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Samples.instanceStored().withAccessLabels(List.of("Cardiology")));
  }

  @Test
  void compressedMetadataTravelsAsBase64AndIsLeftOutWhenNone() throws Exception {
    byte[] metadata = {0x78, (byte) 0x9c, 0, 1, 2, (byte) 0xff};
    InstanceStored withMetadata = Samples.instanceStored().withCompressedMetadata(metadata);
    JsonNode json = JSON.readTree(EventCodec.encode(withMetadata));
    assertEquals("eJwAAQL/", json.path("compressedMetadata").asText());
    InstanceStored decoded = (InstanceStored) EventCodec.decode(EventCodec.encode(withMetadata));
    assertArrayEquals(metadata, decoded.compressedMetadata());
    assertEquals(withMetadata.eventId(), decoded.eventId());
    assertFalse(
        JSON.readTree(EventCodec.encode(Samples.instanceStored())).has("compressedMetadata"));
    assertArrayEquals(
        metadata,
        withMetadata.withAccessLabels(List.of("cardiology")).compressedMetadata(),
        "labels keep the metadata");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Samples.instanceStored()
                .withCompressedMetadata(new byte[InstanceStored.MAX_COMPRESSED_METADATA + 1]));
  }

  @Test
  void encodesAsUtf8() {
    InstanceStored stored = Samples.instanceStored();
    InstanceStored withUmlaut =
        new InstanceStored(
            stored.eventId(),
            stored.occurredAt(),
            stored.tenant(),
            stored.studyInstanceUid(),
            stored.seriesInstanceUid(),
            stored.sopInstanceUid(),
            stored.sopClassUid(),
            stored.transferSyntaxUid(),
            "Müller-Ø",
            null,
            null,
            null,
            null,
            stored.objectLocation(),
            stored.source(),
            1,
            null);

    String text = new String(EventCodec.encode(withUmlaut), UTF_8);

    assertTrue(text.contains("\"patientId\":\"Müller-Ø\""), text);
    assertEquals(withUmlaut, EventCodec.decode(text.getBytes(UTF_8)));
  }

  @Test
  void toleratesUnknownFieldsAtTopLevelAndNested() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.instanceStored()));
    json.put("addedByNewerProducer", "x");
    json.putObject("anotherNewThing").put("a", 1);
    ((ObjectNode) json.get("objectLocation")).put("storageClass", "GLACIER");
    ((ObjectNode) json.get("source")).put("tlsCipher", "TLS_AES_128_GCM_SHA256");

    assertEquals(Samples.instanceStored(), EventCodec.decode(JSON.writeValueAsBytes(json)));
  }

  @Test
  void rejectsUnknownType() {
    assertReason(
        EventFormatException.Reason.UNKNOWN_TYPE,
        "{\"type\":\"InstanceTeleported\",\"schemaVersion\":1}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"schemaVersion\":1,\"eventId\":\"22222222-2222-4222-8222-222222222222\"}",
        "{\"type\":null,\"schemaVersion\":1}",
        "{\"type\":7,\"schemaVersion\":1}"
      })
  void rejectsMissingType(String payload) {
    assertReason(EventFormatException.Reason.MISSING_TYPE, payload);
  }

  @Test
  void rejectsFutureSchemaVersionAndSaysSo() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.instanceIndexed()));
    json.put("schemaVersion", InstanceIndexed.SCHEMA_VERSION + 1);

    EventFormatException e =
        assertReason(
            EventFormatException.Reason.FUTURE_SCHEMA_VERSION, JSON.writeValueAsString(json));
    assertTrue(e.getMessage().contains("v2"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"StudyUpdated\"}",
        "{\"type\":\"StudyUpdated\",\"schemaVersion\":0}",
        "{\"type\":\"StudyUpdated\",\"schemaVersion\":\"1\"}",
        "{\"type\":\"StudyUpdated\",\"schemaVersion\":1.5}",
        "{\"type\":\"StudyUpdated\",\"schemaVersion\":99999999999}"
      })
  void rejectsInvalidSchemaVersion(String payload) {
    assertReason(EventFormatException.Reason.INVALID_SCHEMA_VERSION, payload);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{\"type\":\"StudyUpdated\"",
        "[1,2]",
        "\"InstanceStored\"",
        "{\"type\":\"StudyUpdated\",\"schemaVersion\":1} trailing",
        "{\"type\":\"StudyUpdated\",\"type\":\"AuditRecord\",\"schemaVersion\":1}"
      })
  void rejectsMalformedJson(String payload) {
    assertReason(EventFormatException.Reason.MALFORMED_JSON, payload);
  }

  @Test
  void rejectsNullPayload() {
    EventFormatException e =
        assertThrows(EventFormatException.class, () -> EventCodec.decode(null));
    assertEquals(EventFormatException.Reason.MALFORMED_JSON, e.reason());
  }

  @Test
  void rejectsEventFailingValidationWithFieldName() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.instanceIndexed()));
    json.remove("sopInstanceUid");

    EventFormatException e =
        assertReason(EventFormatException.Reason.INVALID_EVENT, JSON.writeValueAsString(json));
    assertTrue(e.getMessage().contains("sopInstanceUid is required"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"action\":\"X\"}",
        "{\"occurredAt\":\"yesterday\"}",
        "{\"studyInstanceUids\":\"not a list\"}"
      })
  void rejectsMistypedFields(String override) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.auditRecord()));
    json.setAll((ObjectNode) JSON.readTree(override));

    assertReason(EventFormatException.Reason.INVALID_EVENT, JSON.writeValueAsString(json));
  }

  @Test
  void rejectsExplicitNullForPrimitive() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.studyUpdated()));
    json.putNull("numberOfInstances");

    assertReason(EventFormatException.Reason.INVALID_EVENT, JSON.writeValueAsString(json));
  }

  @Test
  void typedDecodeRejectsOtherType() {
    byte[] audit = EventCodec.encode(Samples.auditRecord());

    EventFormatException e =
        assertThrows(
            EventFormatException.class, () -> EventCodec.decode(audit, InstanceStored.class));
    assertEquals(EventFormatException.Reason.TYPE_MISMATCH, e.reason());
  }

  @Test
  void instanceStoredV1IsUpcastToCurrent() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.instanceStored()));
    json.put("schemaVersion", 1);
    json.remove("version");
    ((ObjectNode) json.get("source")).remove("client");

    InstanceStored decoded = EventCodec.decode(JSON.writeValueAsBytes(json), InstanceStored.class);

    assertEquals(1, decoded.version());
    assertNull(decoded.source().client());
  }

  @Test
  void v2PayloadWithoutVersionIsRejectedNotDefaulted() throws Exception {
    // Only the v1 upcaster may supply the default; a v2 producer must always write it.
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.encode(Samples.instanceStored()));
    json.remove("version");

    assertReason(EventFormatException.Reason.INVALID_EVENT, JSON.writeValueAsString(json));
  }

  @Test
  void upcastersRunInOrderFromTheGivenVersion() {
    EventType<InstanceIndexed> type =
        new EventType<>(
            "Test",
            InstanceIndexed.class,
            4,
            java.util.Map.of(
                1, e -> e.put("trail", e.path("trail").asText() + "1"),
                2, e -> e.put("trail", e.path("trail").asText() + "2"),
                3, e -> e.put("trail", e.path("trail").asText() + "3")));

    assertEquals("123", type.upcast(JSON.createObjectNode(), 1).get("trail").asText());
    assertEquals("23", type.upcast(JSON.createObjectNode(), 2).get("trail").asText());
    assertFalse(type.upcast(JSON.createObjectNode(), 4).has("trail"));
  }

  @Test
  void eventTypeRejectsGapInUpcasterChain() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new EventType<>(
                    "Test", InstanceIndexed.class, 3, java.util.Map.of(1, (Upcaster) x -> x)));
    assertTrue(e.getMessage().contains("no upcaster from v2 to v3"), e.getMessage());
  }

  @Test
  void registryCoversSealedHierarchyWithDeclaredVersions() {
    Set<Class<?>> permitted = Set.of(StrataEvent.class.getPermittedSubclasses());
    assertEquals(
        permitted, EventTypes.ALL.stream().map(EventType::javaType).collect(Collectors.toSet()));
    for (EventType<?> type : EventTypes.ALL) {
      assertEquals(schemaVersionOf(type.javaType()), type.currentVersion(), type.name());
      assertSame(type, EventTypes.byName(type.name()));
    }
  }

  @Test
  void noEventFieldClashesWithEnvelope() {
    for (Class<?> type : StrataEvent.class.getPermittedSubclasses()) {
      Set<String> fields =
          Arrays.stream(type.getRecordComponents())
              .map(c -> c.getName())
              .collect(Collectors.toSet());
      assertFalse(fields.contains("type") || fields.contains("schemaVersion"), type.getName());
    }
  }

  static int schemaVersionOf(Class<?> type) {
    try {
      return type.getField("SCHEMA_VERSION").getInt(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(type.getSimpleName() + " must declare SCHEMA_VERSION", e);
    }
  }

  private static EventFormatException assertReason(
      EventFormatException.Reason reason, String payload) {
    EventFormatException e =
        assertThrows(EventFormatException.class, () -> EventCodec.decode(payload.getBytes(UTF_8)));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }
}
