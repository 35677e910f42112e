package org.strata.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files are payloads exactly as each released schema version wrote them. They are never
 * edited, only added: if one stops decoding, a change broke compatibility with records that may
 * still sit in Kafka.
 */
class GoldenFilesTest {

  private static final Pattern NAME = Pattern.compile("([A-Za-z]+)\\.v([0-9]+)\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path goldenDir() throws URISyntaxException {
    return Path.of(GoldenFilesTest.class.getResource("/events").toURI());
  }

  static List<Path> goldenFiles() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(goldenDir())) {
      return files.sorted().toList();
    }
  }

  static byte[] golden(String name) throws IOException, URISyntaxException {
    return Files.readAllBytes(goldenDir().resolve(name));
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void everyGoldenFileStillDecodes(Path file) throws IOException {
    Matcher name = NAME.matcher(file.getFileName().toString());
    assertTrue(name.matches(), "golden files are named <Type>.v<N>.json: " + file.getFileName());
    byte[] payload = Files.readAllBytes(file);
    JsonNode json = JSON.readTree(payload);
    // Guards against a copied file whose envelope was not updated to match its name.
    assertEquals(name.group(1), json.get("type").textValue(), "type inside " + file);
    assertEquals(Integer.parseInt(name.group(2)), json.get("schemaVersion").intValue(), "" + file);

    StrataEvent event = EventCodec.decode(payload);

    assertEquals(name.group(1), EventTypes.of(event.getClass()).name());
  }

  @Test
  void everyVersionOfEveryTypeHasAGoldenFile() throws Exception {
    List<String> missing = new ArrayList<>();
    for (Class<?> javaType : StrataEvent.class.getPermittedSubclasses()) {
      @SuppressWarnings("unchecked")
      EventType<?> type = EventTypes.of((Class<? extends StrataEvent>) javaType);
      assertNotNull(type, javaType + " is not registered");
      int current = EventCodecTest.schemaVersionOf(javaType);
      for (int version = 1; version <= current; version++) {
        String file = type.name() + ".v" + version + ".json";
        if (!Files.isRegularFile(goldenDir().resolve(file))) {
          missing.add(file);
        }
      }
    }
    if (!missing.isEmpty()) {
      fail(
          "Missing golden files in src/test/resources/events: "
              + missing
              + ". Add one written by that schema version when bumping SCHEMA_VERSION.");
    }
  }

  @Test
  void currentVersionGoldenFilesReencodeIdentically() throws Exception {
    // Catches silent wire changes, e.g. a renamed record component that old payloads would lose.
    for (EventType<?> type : EventTypes.ALL) {
      byte[] payload = golden(type.name() + ".v" + type.currentVersion() + ".json");

      byte[] reencoded = EventCodec.encode(EventCodec.decode(payload));

      assertEquals(JSON.readTree(payload), JSON.readTree(reencoded), type.name());
    }
  }

  @Test
  void instanceStoredV1DefaultsToObjectVersionOne() throws Exception {
    InstanceStored e = EventCodec.decode(golden("InstanceStored.v1.json"), InstanceStored.class);

    assertEquals("0b4c1f0e-8c1d-4d7e-9a51-3f0f6f2b7a01", e.eventId());
    assertEquals(Instant.parse("2024-03-01T10:15:30.123Z"), e.occurredAt());
    assertEquals("st-mary", e.tenant());
    assertEquals("1.2.826.0.1.3680043.8.498.1001", e.studyInstanceUid());
    assertEquals("1.2.826.0.1.3680043.8.498.1001.1.1", e.sopInstanceUid());
    assertEquals("PAT-0001", e.patientId());
    assertEquals("20240301", e.studyDate());
    assertEquals(524288, e.objectLocation().size());
    assertNull(e.objectLocation().frameIndexKey());
    assertEquals(InstanceStored.Channel.DIMSE, e.source().channel());
    assertEquals("CT_SCANNER_1", e.source().callingAeTitle());
    assertNull(e.source().client(), "v1 had no source.client");
    assertEquals(1, e.version(), "v1 objects are version 1");
    assertEquals("1.2.826.0.1.3680043.8.498.1001", e.key());
  }

  @Test
  void instanceStoredV2() throws Exception {
    InstanceStored e = EventCodec.decode(golden("InstanceStored.v2.json"), InstanceStored.class);

    assertEquals(2, e.version());
    assertEquals(InstanceStored.Channel.STOWRS, e.source().channel());
    assertEquals("radiology-viewer", e.source().client());
    assertNull(e.source().callingAeTitle());
    assertNull(e.issuerOfPatientId());
    assertEquals("1.2.840.10008.1.2.4.90", e.transferSyntaxUid());
    assertEquals(
        "studies/1.2.826.0.1.3680043.8.498.2002/7.v2.frames", e.objectLocation().frameIndexKey());
  }

  @Test
  void instanceIndexedV1() throws Exception {
    InstanceIndexed e = EventCodec.decode(golden("InstanceIndexed.v1.json"), InstanceIndexed.class);

    assertEquals("1.2.826.0.1.3680043.8.498.1001.1", e.seriesInstanceUid());
    assertEquals("0b4c1f0e-8c1d-4d7e-9a51-3f0f6f2b7a01", e.storedEventId());
  }

  @Test
  void studyUpdatedV1() throws Exception {
    StudyUpdated e = EventCodec.decode(golden("StudyUpdated.v1.json"), StudyUpdated.class);

    assertEquals(2, e.numberOfSeries());
    assertEquals(310, e.numberOfInstances());
    assertEquals(List.of("CT", "SR"), e.modalitiesInStudy());
  }

  @Test
  void instanceDeletedV1() throws Exception {
    InstanceDeleted e = EventCodec.decode(golden("InstanceDeleted.v1.json"), InstanceDeleted.class);

    assertEquals(InstanceDeleted.Scope.SERIES, e.scope());
    assertNull(e.sopInstanceUid());
    assertEquals(2, e.objects().size());
    assertEquals("studies/1.2.826.0.1.3680043.8.498.1001/2.dcm", e.objects().get(1).key());
    assertNull(e.objects().get(1).sidecarKey());
    assertEquals("wrong patient", e.reason());
    assertEquals("admin@st-mary", e.requestedBy());
  }

  @Test
  void instanceMovedV1() throws Exception {
    InstanceMoved e = EventCodec.decode(golden("InstanceMoved.v1.json"), InstanceMoved.class);

    assertEquals(1, e.version());
    assertEquals("hot", e.fromTier());
    assertEquals("strata-objects", e.from().bucket());
    assertEquals("cold", e.toTier());
    assertEquals("strata-cold", e.to().bucket());
    assertEquals(e.from().key(), e.to().key());
    assertNull(e.to().frameIndexKey());
    assertEquals(e.studyInstanceUid(), e.key(), "moves are keyed by study");
  }

  @Test
  void patientLinksChangedV1() throws Exception {
    PatientLinksChanged e =
        EventCodec.decode(golden("PatientLinksChanged.v1.json"), PatientLinksChanged.class);

    assertEquals(PatientLinksChanged.Change.LINKED, e.change());
    assertEquals("5a0f3c2e-1b7d-4c9e-8f21-6d4b3a2c1e0f", e.linkId());
    assertEquals(e.linkId(), e.key(), "link events are keyed by link id");
    assertEquals(
        List.of(
            new PatientLinksChanged.PatientRef("st-mary", "MRN-0042", "ST-MARY-MRN"),
            new PatientLinksChanged.PatientRef("st-luke", "L-77", "ST-LUKE")),
        e.members());
    assertEquals(List.of(e.members().get(1)), e.added());
    assertEquals(List.of(), e.removed());
    assertNull(e.mergedInto());
    assertEquals("PIX feed: same person", e.reason());
  }

  @Test
  void auditRecordV1() throws Exception {
    AuditRecord e = EventCodec.decode(golden("AuditRecord.v1.json"), AuditRecord.class);

    assertEquals("DICOMInstancesTransferred", e.eventType());
    assertEquals(AuditRecord.Action.C, e.action());
    assertEquals(AuditRecord.Outcome.SUCCESS, e.outcome());
    assertEquals(List.of("1.2.826.0.1.3680043.8.498.1001"), e.studyInstanceUids());
    assertEquals(e.eventId(), e.key(), "audit records are keyed by event id");
    assertFalse(e.detail().isBlank());
  }
}
